package io.layercake.runtime.reference;

import io.layercake.runtime.serialization.JsonSerializable;

/** Reference data changed on some node: every node forgets {@code key} of {@code cache} ({@code key} null: all of it). */
public record ReferenceChanged(String cache, String key) implements JsonSerializable {}
