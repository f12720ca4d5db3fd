package io.layercake.runtime.session;

import io.layercake.runtime.outreach.FollowupSequence;
import java.time.Instant;
import java.util.List;

/**
 * A follow-up sequence under way: its definition as it was when it started ({@code steps}), and the
 * step the follow-up carrying it sends. A run lives in its pending step; the next step is scheduled
 * as one is sent or skipped.
 */
public record SequenceRun(String runId, String name, int step, List<FollowupSequence.Step> steps,
    Instant startedAt, boolean stopOnReply, boolean stopOnBooking) {
  public SequenceRun {
    steps = List.copyOf(steps);
  }

  public FollowupSequence.Step current() {
    return steps.get(step);
  }

  public boolean last() {
    return step >= steps.size() - 1;
  }

  public SequenceRun next() {
    return new SequenceRun(runId, name, step + 1, steps, startedAt, stopOnReply, stopOnBooking);
  }

  public String followupId() {
    return runId + "/" + (step + 1);
  }
}
