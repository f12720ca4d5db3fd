package io.layercake.http.portal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * TXT records read from DNS through the JDK's DNS naming provider, from a given server or the
 * system's resolvers. Lookups block, so they run on the given (provider) executor.
 */
public final class DnsTxtRecords {
  private final String server;
  private final Executor executor;

  /** @param server {@code host} or {@code host:port}; empty: the system's resolvers */
  public DnsTxtRecords(String server, Executor executor) {
    this.server = server;
    this.executor = executor;
  }

  /** The TXT strings published at {@code name}; empty when there are none or the name does not exist. */
  public CompletionStage<List<String>> lookUp(String name) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return read(name);
      } catch (NameNotFoundException e) {
        return List.of();
      } catch (NamingException e) {
        throw new IllegalStateException("DNS lookup of " + name + " failed: " + e.getMessage(), e);
      }
    }, executor);
  }

  private List<String> read(String name) throws NamingException {
    Hashtable<String, String> environment = new Hashtable<>();
    environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    environment.put(Context.PROVIDER_URL, server.isEmpty() ? "dns:" : "dns://" + server);
    environment.put("com.sun.jndi.dns.timeout.initial", "2000");
    environment.put("com.sun.jndi.dns.timeout.retries", "2");
    DirContext context = new InitialDirContext(environment);
    try {
      Attributes attributes = context.getAttributes(name, new String[] {"TXT"});
      Attribute txt = attributes.get("TXT");
      List<String> values = new ArrayList<>();
      if (txt != null) {
        NamingEnumeration<?> all = txt.getAll();
        while (all.hasMore()) {
          values.add(unquote(String.valueOf(all.next())));
        }
      }
      return values;
    } finally {
      context.close();
    }
  }

  /** A record of several strings comes as {@code "a" "b"}: joined, as TXT verification expects. */
  private static String unquote(String value) {
    String trimmed = value.strip();
    if (trimmed.startsWith("\"") && trimmed.endsWith("\"") && trimmed.length() >= 2) {
      return trimmed.substring(1, trimmed.length() - 1).replace("\" \"", "");
    }
    return trimmed;
  }
}
