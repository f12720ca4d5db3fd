package io.layercake.runtime.llm;

/**
 * Where a reply goes while the model writes it: each piece of text as it arrives. Only a channel that
 * can show a reply growing (webchat) takes one; the reply itself is recorded once, whole, as always.
 * Called on the model's thread: it must not block.
 */
@FunctionalInterface
public interface ReplyStream {
  /** Nowhere: the channel gets the whole reply. */
  ReplyStream NONE = text -> {};

  void delta(String text);

  default boolean streams() {
    return this != NONE;
  }
}
