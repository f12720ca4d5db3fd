package io.layercake.runtime.credits;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Org events that move credits are tagged with one of a few slices, so the credit projection can
 * run as that many parallel instances. Only those events are tagged: tagged writes cost more.
 */
public final class CreditTags {
  public static final int SLICES = 4;
  private static final String PREFIX = "credits-";

  private CreditTags() {}

  public static String tagFor(String orgId) {
    return PREFIX + Math.floorMod(orgId.hashCode(), SLICES);
  }

  public static List<String> all() {
    return IntStream.range(0, SLICES).mapToObj(slice -> PREFIX + slice).toList();
  }
}
