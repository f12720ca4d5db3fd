package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.SessionSettings;
import io.layercake.config.SettingsLoader;
import io.layercake.runtime.credits.OrgEntity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What a conversation remembers is in its journal, not in today's settings: a conversation records its
 * windows when it starts, and once more when it wakes under settings that changed them.
 */
class SessionWindowsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  private final TestProbe<OrgEntity.Command> org = testKit.createTestProbe();
  private final List<String> sent = new CopyOnWriteArrayList<>();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aConversationRecordsItsWindowsAtTheStartAndAgainOnlyWhenTheSettingsChangedThem() {
    SessionSettings before = SettingsLoader.load(Map.of()).sessions();
    SessionSettings after = SettingsLoader.load(Map.of(
        "LAYERCAKE_SESSIONS_CONTEXT_MESSAGES", "6", "LAYERCAKE_SESSIONS_SEEN_MESSAGE_IDS", "40")).sessions();
    InboundMessage message = ScriptedConversations.webchatMessage("visitor-w1", "m-1", "Hello");
    String persistenceId = SessionEntity.TYPE_KEY.name() + "|" + message.key().sessionId();

    ActorRef<SessionCommand> first = spawn(message, before);
    ScriptedConversations.receive(testKit, first, message, WAIT);
    restart(first);
    ActorRef<SessionCommand> second = spawn(message, after);
    awaitEvents(persistenceId, "ConversationStarted", "MessageReceived", "WindowsChanged");
    restart(second);
    ActorRef<SessionCommand> third = spawn(message, after);
    TestProbe<SessionReply> view = testKit.createTestProbe();
    third.tell(new SessionCommand.GetConversation(view.ref()));
    view.expectMessageClass(SessionReply.Conversation.class, WAIT);

    List<Object> events = journal.persistedInStorage(persistenceId);
    assertThat(events).extracting(event -> event.getClass().getSimpleName())
        .containsExactly("ConversationStarted", "MessageReceived", "WindowsChanged");
    assertThat(((SessionEvent.ConversationStarted) events.get(0)).windows()).isEqualTo(new ConversationWindows(500, 30));
    assertThat(((SessionEvent.WindowsChanged) events.get(2)).windows()).isEqualTo(new ConversationWindows(40, 6));
  }

  private ActorRef<SessionCommand> spawn(InboundMessage message, SessionSettings settings) {
    return testKit.spawn(SessionEntity.create(message.key().sessionId(),
        ScriptedConversations.dependencies(testKit, settings, org.ref(), sent, Duration.ofMillis(300))));
  }

  private static void restart(ActorRef<SessionCommand> session) {
    testKit.stop(session, WAIT);
  }

  private static void awaitEvents(String persistenceId, String... types) {
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(journal.persistedInStorage(persistenceId)).extracting(event -> event.getClass().getSimpleName())
          .containsExactly(types);
      return null;
    });
  }
}
