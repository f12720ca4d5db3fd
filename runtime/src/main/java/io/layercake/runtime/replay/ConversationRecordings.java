package io.layercake.runtime.replay;

import io.layercake.runtime.session.RecordedTurn;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A conversation's turns as its journal recorded them. */
public interface ConversationRecordings {
  CompletionStage<List<RecordedTurn>> turns(String sessionId);
}
