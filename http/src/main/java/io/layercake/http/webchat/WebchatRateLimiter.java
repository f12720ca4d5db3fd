package io.layercake.http.webchat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages per minute per visitor and agent, as a sliding window on this node. A cluster of n
 * nodes lets a visitor spread over them through at most n times the rate; sticky load balancing
 * keeps a visitor on one node.
 */
final class WebchatRateLimiter {
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final int MAX_KEYS = 100_000;

  private final Map<String, Deque<Instant>> windows = new ConcurrentHashMap<>();

  /** Empty when the message may go; otherwise how long until it may. */
  Optional<Duration> acquire(String key, int perMinute, Instant now) {
    if (windows.size() > MAX_KEYS) {
      windows.entrySet().removeIf(entry -> idle(entry.getValue(), now));
    }
    Deque<Instant> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (window) {
      while (!window.isEmpty() && !window.peekFirst().plus(WINDOW).isAfter(now)) {
        window.pollFirst();
      }
      if (window.size() >= perMinute) {
        Duration wait = Duration.between(now, window.peekFirst().plus(WINDOW));
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      }
      window.addLast(now);
      return Optional.empty();
    }
  }

  private static boolean idle(Deque<Instant> window, Instant now) {
    synchronized (window) {
      return window.isEmpty() || !window.peekLast().plus(WINDOW).isAfter(now);
    }
  }
}
