package io.layercake.runtime.channel;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Which agent answers on which channel address, and each organization's own channel setup. */
public interface ChannelDirectory {
  CompletionStage<Optional<Binding>> agentAt(String channel, String address);

  /** The address an agent answers on in a channel (its first, when it has several). */
  CompletionStage<Optional<String>> addressOf(String agentId, String channel);

  /** Binds the address to the agent; the binding another agent holds is returned instead. */
  CompletionStage<Binding> bind(Binding binding);

  CompletionStage<Boolean> unbind(String agentId, String channel, String address);

  CompletionStage<List<Binding>> bindings(String orgId);

  CompletionStage<ChannelAccount> account(String orgId, String channel);

  /** The account that holds a provider entity id (Infobip's per-organization entity). */
  CompletionStage<Optional<ChannelAccount>> accountWithEntity(String channel, String entityId);

  CompletionStage<ChannelAccount> saveAccount(ChannelAccount account);
}
