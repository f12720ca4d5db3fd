package io.layercake.runtime.credits;

import io.layercake.runtime.serialization.JsonSerializable;

/** One line of what a turn cost: {@code ai_reply}, {@code tool:<name>}, {@code sms_segment}, ... */
public record CostLine(String item, long credits) implements JsonSerializable {}
