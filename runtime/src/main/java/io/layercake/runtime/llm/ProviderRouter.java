package io.layercake.runtime.llm;

/** Sends each request to the provider its agent chose: {@code local} offline, the others hosted. */
public final class ProviderRouter implements LanguageModel {
  private final LanguageModel local;
  private final LanguageModel hosted;

  public ProviderRouter(LanguageModel local, LanguageModel hosted) {
    this.local = local;
    this.hosted = hosted;
  }

  @Override
  public java.util.concurrent.CompletionStage<ModelReply> complete(ModelRequest request) {
    return "local".equals(request.agent().model().provider()) ? local.complete(request) : hosted.complete(request);
  }
}
