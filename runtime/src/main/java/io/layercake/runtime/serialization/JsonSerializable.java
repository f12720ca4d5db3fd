package io.layercake.runtime.serialization;

/**
 * Marks the commands, events, replies and states that Pekko serializes with Jackson as JSON
 * (bound in the runtime's reference.conf). Every message that may cross a node boundary or reach
 * the journal implements it; Java serialization is switched off.
 */
public interface JsonSerializable {}
