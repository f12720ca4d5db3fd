package io.layercake.runtime.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the guided interview turns the owner's answers into the setup's files. */
final class SetupDocuments {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Map<String, String> LANGUAGES = Map.ofEntries(
      Map.entry("english", "en"), Map.entry("dutch", "nl"), Map.entry("nederlands", "nl"), Map.entry("german", "de"),
      Map.entry("deutsch", "de"), Map.entry("french", "fr"), Map.entry("spanish", "es"), Map.entry("italian", "it"),
      Map.entry("polish", "pl"), Map.entry("turkish", "tr"), Map.entry("portuguese", "pt"), Map.entry("arabic", "ar"));
  private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9.-]+(:\\d{1,5})?");
  private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d ()-]{5,}\\d");
  private static final List<String> TOOLS = List.of("handoff_to_human", "capture_lead", "book_appointment");

  private SetupDocuments() {}

  static String correction(String text) {
    return "**Correction from the owner** (it replaces what it contradicts above): " + text.strip();
  }

  /** A knowledge document from its step's answer and the corrections made to it since. */
  static String write(InterviewStep step, String answer, List<String> corrections) {
    SetupFiles.Document document = SetupFiles.document(step.document().orElseThrow()).orElseThrow();
    StringBuilder text = new StringBuilder("# ").append(document.title()).append("\n\n");
    String body = answer == null ? "" : answer.strip();
    if (step == InterviewStep.FAQ) {
      text.append(faqMarkdown(body));
    } else if (step == InterviewStep.SERVICES) {
      // One paragraph per line, so a question about one service finds that line.
      body.lines().map(String::strip).filter(line -> !line.isEmpty())
          .forEach(line -> text.append(line.replaceFirst("^[-*•]\\s*", "")).append("\n\n"));
    } else {
      text.append(body).append("\n\n");
    }
    corrections.forEach(correction -> text.append(correction(correction)).append("\n\n"));
    return text.toString().strip() + "\n";
  }

  /**
   * {@code agent-config.json} from the answers so far, on top of the current file (so hand edits
   * of fields the interview does not ask about survive); null before the business has a name.
   */
  static String config(Map<InterviewStep, String> answers, Map<InterviewStep, List<String>> corrections, String current, String orgId) {
    String name = answers.get(InterviewStep.NAME);
    if (name == null || name.isBlank()) {
      return null;
    }
    name = name.strip().replaceAll("[.!]+$", "");
    ObjectNode root = parsed(current);
    root.put("bundleId", "setup");
    ObjectNode agent = object(root, "agent");
    String slug = slug(name);
    if (!agent.hasNonNull("agentId")) {
      agent.put("agentId", slug + "-" + shortHash(orgId + "/" + slug));
    }
    agent.put("name", name.length() > 120 ? name.substring(0, 120) : name);
    agent.put("persona", persona(name, answers, corrections));
    agent.put("greeting", "Hi! Welcome to " + name + ". How can I help you today?");
    ArrayNode tools = agent.putArray("tools");
    TOOLS.forEach(tools::add);
    if (!agent.has("autonomy")) {
      agent.put("autonomy", "autonomous");
    }
    agent.putArray("knowledgeTags").add(tag(slug));
    if (!agent.has("model")) {
      agent.putObject("model").put("provider", "local").put("model", "local");
    }
    String tone = answers.get(InterviewStep.TONE);
    if (tone != null) {
      Set<String> languages = languages(tone);
      if (!languages.isEmpty()) {
        ArrayNode list = agent.putArray("languages");
        languages.forEach(list::add);
      }
    }
    String faq = answers.get(InterviewStep.FAQ);
    if (faq != null) {
      ArrayNode entries = agent.putArray("faq");
      faqPairs(faq).forEach(pair -> entries.addObject().put("question", pair[0]).put("answer", pair[1]));
    }
    String channels = answers.get(InterviewStep.CHANNELS);
    if (channels != null) {
      channels(channels, root, agent);
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tag every document of this setup carries, and the agent selects. */
  static String tag(String slug) {
    String tag = "setup-" + slug;
    return tag.length() > 50 ? tag.substring(0, 50) : tag;
  }

  private static String persona(String name, Map<InterviewStep, String> answers, Map<InterviewStep, List<String>> corrections) {
    StringBuilder persona = new StringBuilder("You answer customers of ").append(name).append(" on its behalf.");
    String business = answers.get(InterviewStep.BUSINESS);
    if (business != null) {
      persona.append(' ').append(business.strip());
    }
    persona.append("\n\nAnswer from what the business knows (services and prices, hours and area, booking and policies, "
        + "frequent questions). Never invent a price, a time or a promise: when you do not know, offer to ask the team. "
        + "Offer a person whenever the customer asks for one or the policies say it needs one.");
    String tone = answers.get(InterviewStep.TONE);
    if (tone != null) {
      persona.append("\n\nTone: ").append(tone.strip());
      corrections.getOrDefault(InterviewStep.TONE, List.of()).forEach(correction -> persona.append(' ').append(correction.strip()));
    }
    return persona.toString();
  }

  private static String faqMarkdown(String answer) {
    StringBuilder text = new StringBuilder();
    for (String line : answer.lines().map(String::strip).filter(line -> !line.isEmpty()).toList()) {
      String[] pair = pair(line);
      if (pair == null) {
        text.append(line).append("\n\n");
      } else {
        text.append(pair[0]).append(' ').append(pair[1]).append("\n\n");
      }
    }
    return text.toString();
  }

  static List<String[]> faqPairs(String answer) {
    return answer.lines().map(String::strip).map(SetupDocuments::pair).filter(java.util.Objects::nonNull).limit(200).toList();
  }

  /** "question? answer" split after the question mark; null when the line is not one. */
  private static String[] pair(String line) {
    int mark = line.indexOf('?');
    if (mark <= 0 || mark == line.length() - 1) {
      return null;
    }
    String question = line.substring(0, mark + 1).replaceFirst("^[-*•\\d.]+\\s*", "").strip();
    String answer = line.substring(mark + 1).strip();
    if (question.length() > 500 || answer.isEmpty() || answer.length() > 2000) {
      return null;
    }
    return new String[] {question, answer};
  }

  private static Set<String> languages(String text) {
    Set<String> codes = new LinkedHashSet<>();
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
      if (LANGUAGES.containsKey(word)) {
        codes.add(LANGUAGES.get(word));
      }
    }
    return codes;
  }

  /** WhatsApp and SMS numbers become channel bindings, web addresses the widget's allowed origins. */
  private static void channels(String answer, ObjectNode root, ObjectNode agent) {
    ArrayNode bindings = root.putArray("channelBindings");
    ArrayNode origins = object(agent, "webchat").putArray("allowedOrigins");
    Matcher url = URL.matcher(answer);
    Set<String> seenOrigins = new LinkedHashSet<>();
    while (url.find()) {
      seenOrigins.add(url.group().toLowerCase(Locale.ROOT));
    }
    seenOrigins.forEach(origins::add);
    String withoutUrls = URL.matcher(answer).replaceAll(" ");
    for (String part : withoutUrls.split("[,;\\n]|\\band\\b")) {
      String lower = part.toLowerCase(Locale.ROOT);
      Matcher phone = PHONE.matcher(part);
      if (!phone.find()) {
        continue;
      }
      String digits = phone.group().replaceAll("[ ()-]", "");
      if (lower.contains("whatsapp")) {
        bindings.addObject().put("channel", "whatsapp").put("address", digits.replace("+", ""));
      } else if (lower.contains("sms") || lower.contains("text")) {
        bindings.addObject().put("channel", "sms").put("address", digits);
      }
    }
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode existing ? existing : parent.putObject(field);
  }

  private static ObjectNode parsed(String current) {
    if (current != null) {
      try {
        JsonNode node = JSON.readTree(current);
        if (node instanceof ObjectNode object) {
          return object;
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        // A hand edit broke the JSON: the interview writes a fresh file (the broken one stays in the history).
        return JSON.createObjectNode();
      }
    }
    return JSON.createObjectNode();
  }

  static String slug(String name) {
    String slug = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.isEmpty()) {
      slug = "agent";
    }
    return slug.length() > 40 ? slug.substring(0, 40).replaceAll("-+$", "") : slug;
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
