package io.layercake.http.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DNS server on 127.0.0.1 (UDP) that answers TXT questions from the records a test publishes,
 * in DNS's wire format (RFC 1035): a name with no record is NXDOMAIN. Enough for the JDK's DNS
 * provider to verify a custom domain the way it would against a real resolver.
 */
public final class StubDns implements AutoCloseable {
  private static final int TXT = 16;

  private final DatagramSocket socket;
  private final Map<String, List<String>> records = new ConcurrentHashMap<>();
  private final Thread server;

  private StubDns(DatagramSocket socket) {
    this.socket = socket;
    this.server = new Thread(this::serve, "stub-dns");
    server.setDaemon(true);
    server.start();
  }

  public static StubDns start() {
    try {
      return new StubDns(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 127.0.0.1:port}, as the node's DNS server setting takes it. */
  public String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  public void publishTxt(String name, String... values) {
    records.put(name.toLowerCase(Locale.ROOT), List.of(values));
  }

  private void serve() {
    byte[] buffer = new byte[512];
    while (!socket.isClosed()) {
      DatagramPacket query = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(query);
        byte[] answer = answer(java.util.Arrays.copyOf(query.getData(), query.getLength()));
        socket.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
      } catch (IOException e) {
        if (!socket.isClosed()) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private byte[] answer(byte[] query) {
    int position = 12;
    StringBuilder name = new StringBuilder();
    while (query[position] != 0) {
      int length = query[position] & 0xFF;
      name.append(name.length() == 0 ? "" : ".").append(new String(query, position + 1, length, StandardCharsets.US_ASCII));
      position += length + 1;
    }
    int questionEnd = position + 5;
    int type = ((query[position + 1] & 0xFF) << 8) | (query[position + 2] & 0xFF);
    List<String> values = records.get(name.toString().toLowerCase(Locale.ROOT));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(query[0]);
    out.write(query[1]);
    out.write(0x81);
    out.write(values == null ? 0x83 : 0x80);
    short answers = (short) (values != null && type == TXT ? values.size() : 0);
    writeShort(out, 1);
    writeShort(out, answers);
    writeShort(out, 0);
    writeShort(out, 0);
    out.write(query, 12, questionEnd - 12);
    for (int i = 0; i < answers; i++) {
      byte[] text = values.get(i).getBytes(StandardCharsets.US_ASCII);
      writeShort(out, 0xC00C);
      writeShort(out, TXT);
      writeShort(out, 1);
      writeShort(out, 0);
      writeShort(out, 60);
      writeShort(out, text.length + 1);
      out.write(text.length);
      out.write(text, 0, text.length);
    }
    return out.toByteArray();
  }

  private static void writeShort(ByteArrayOutputStream out, int value) {
    out.write((value >> 8) & 0xFF);
    out.write(value & 0xFF);
  }

  @Override
  public void close() {
    socket.close();
  }
}
