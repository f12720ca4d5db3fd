package io.layercake.persistence.channels;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.channel.PhoneNumbers;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites SMS bindings stored before numbers were normalized (an {@code agent-config.json} import
 * kept {@code +31 6 1234 5678} as written) into E.164, so SMS to them are routed again. Idempotent,
 * run at start; a binding whose E.164 form another binding already holds, or that is not an
 * international number, is left as it is and logged.
 */
public final class SmsBindingRepair {
  private static final Logger log = LoggerFactory.getLogger(SmsBindingRepair.class);

  private SmsBindingRepair() {}

  /** How many bindings were rewritten. */
  public static CompletionStage<Integer> run(ApplicationDatabase database) {
    return database.write(connection -> {
      Map<String, Optional<String>> found = new LinkedHashMap<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT address FROM channel_bindings WHERE channel = 'sms' ORDER BY created_at, address");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.put(rows.getString(1), PhoneNumbers.e164(rows.getString(1)));
        }
      }
      Set<String> taken = new HashSet<>(found.keySet());
      int rewritten = 0;
      for (Map.Entry<String, Optional<String>> binding : found.entrySet()) {
        String address = binding.getKey();
        if (binding.getValue().isEmpty()) {
          log.warn("SMS binding '{}' is not an international number; bind it again with + and the country code",
              address);
        } else if (!binding.getValue().get().equals(address)) {
          String e164 = binding.getValue().get();
          if (taken.contains(e164)) {
            log.warn("SMS binding '{}' is {} in E.164, which another binding holds; left as it is", address, e164);
            continue;
          }
          try (PreparedStatement update = connection.prepareStatement(
              "UPDATE channel_bindings SET address = ? WHERE channel = 'sms' AND address = ?")) {
            update.setString(1, e164);
            update.setString(2, address);
            rewritten += update.executeUpdate();
          }
          taken.add(e164);
        }
      }
      if (rewritten > 0) {
        log.info("Rewrote {} SMS bindings into E.164", rewritten);
      }
      return rewritten;
    });
  }
}
