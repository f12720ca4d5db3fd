package io.layercake.runtime.llm;

import java.util.concurrent.CompletionStage;

/**
 * A model that answers a prompt. Implementations never block the caller: the answer, or a
 * {@link ModelFailure}, comes back through the stage.
 */
public interface LanguageModel {
  CompletionStage<ModelReply> complete(ModelRequest request);
}
