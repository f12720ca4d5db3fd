package io.layercake.persistence.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a conversation owes, by key: kept in key order, written as the column's JSON, read back the same. */
class PendingWorkTest {
  private static final Instant T = Instant.ofEpochMilli(1_000);

  @Test
  void keepsKeysInOrderAndWritesThemAsTheColumnsJson() {
    PendingWork pending = PendingWork.none();
    pending.put("turn:2", T.plusMillis(20));
    pending.put("lease", T.plusMillis(50));
    pending.put("msg:b", T.plusMillis(30));
    pending.put("msg:a", T.plusMillis(40));
    pending.put("turn:2", T.plusMillis(10));

    assertThat(pending.json()).isEqualTo("{\"lease\":1050,\"msg:a\":1040,\"msg:b\":1030,\"turn:2\":1010}");
    assertThat(pending.wakeAt()).isEqualTo(T.plusMillis(10));
    assertThat(PendingWork.parse(pending.json()).json()).isEqualTo(pending.json());
    assertThat(pending).hasToString("{lease=1050, msg:a=1040, msg:b=1030, turn:2=1010}");
  }

  @Test
  void removesPostponesAndCopies() {
    PendingWork pending = PendingWork.parse("{\"lease\":1050,\"msg:a\":1040,\"msg:b\":1030,\"turn:2\":1010}");
    PendingWork copy = pending.copy();

    pending.remove("turn:2");
    pending.remove("turn:9");
    pending.postpone("msg:", T.plusMillis(90));
    assertThat(pending.json()).isEqualTo("{\"lease\":1050,\"msg:a\":1090,\"msg:b\":1090}");
    assertThat(pending.wakeAt()).isEqualTo(T.plusMillis(50));

    pending.removeStartingWith("msg:");
    assertThat(pending.keys()).containsExactly("lease");
    pending.remove("lease");
    assertThat(pending.json()).isNull();
    assertThat(pending.wakeAt()).isNull();

    assertThat(copy.keys()).containsExactlyInAnyOrder("lease", "msg:a", "msg:b", "turn:2");
    assertThat(copy.wakeAt()).isEqualTo(T.plusMillis(10));
  }

  @Test
  void nothingOwedIsNoColumnValue() {
    assertThat(PendingWork.none().json()).isNull();
    assertThat(PendingWork.parse(null).keys()).isEmpty();
    assertThat(PendingWork.parse(" ").wakeAt()).isNull();
  }
}
