package io.layercake.runtime.session;

public enum ApprovalKind {
  /** A tool call (a booking under supervised autonomy). */
  TOOL,
  /** A reply the agent drafted (draft autonomy). */
  REPLY
}
