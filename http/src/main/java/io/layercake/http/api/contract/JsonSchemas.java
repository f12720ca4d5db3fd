package io.layercake.http.api.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * JSON schemas of the types the API reads and writes, as the API's own {@link ObjectMapper} sees
 * them: property names, enums as the strings it writes, records as named components. In answers
 * every property of a record is required (the mapper writes nulls) unless the record leaves nulls
 * out; in requests none is (the mapper reads a missing property as null, and the route decides what
 * it needs). A type used both ways gets a second component, named with {@code Input}.
 */
final class JsonSchemas {
  private static final Set<Class<?>> INTEGERS = Set.of(int.class, Integer.class, short.class, Short.class, byte.class, Byte.class);
  private static final Set<Class<?>> LONGS = Set.of(long.class, Long.class, BigInteger.class);
  private static final Set<Class<?>> NUMBERS = Set.of(double.class, Double.class, float.class, Float.class, BigDecimal.class);

  private final ObjectMapper mapper;
  private final Components components;
  private final Map<Class<?>, String> names = new LinkedHashMap<>();
  private final boolean requests;

  private JsonSchemas(ObjectMapper mapper, Components components, boolean requests) {
    this.mapper = mapper;
    this.components = components;
    this.requests = requests;
  }

  /** The named schemas, shared by the schemas of answers and of requests, and the type each names. */
  static final class Components {
    private final Map<String, ObjectNode> schemas = new LinkedHashMap<>();
    private final Map<String, Class<?>> types = new LinkedHashMap<>();

    Map<String, ObjectNode> schemas() {
      return schemas;
    }

    JsonSchemas answers(ObjectMapper mapper) {
      return new JsonSchemas(mapper, this, false);
    }

    JsonSchemas requests(ObjectMapper mapper) {
      return new JsonSchemas(mapper, this, true);
    }
  }

  /** The schema of {@code type}: inline for plain values, a {@code $ref} for records and beans. */
  ObjectNode schema(Type type) {
    return schema(mapper.constructType(type));
  }

  private ObjectNode schema(JavaType type) {
    Class<?> raw = type.getRawClass();
    ObjectNode schema = mapper.createObjectNode();
    if (type.isReferenceType()) {
      return schema(type.getReferencedType());
    }
    if (raw == String.class || raw == UUID.class || raw == Duration.class || CharSequence.class.isAssignableFrom(raw)) {
      return schema.put("type", "string");
    }
    if (raw == Instant.class || raw == OffsetDateTime.class) {
      return schema.put("type", "string").put("format", "date-time");
    }
    if (raw == LocalDate.class) {
      return schema.put("type", "string").put("format", "date");
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return schema.put("type", "boolean");
    }
    if (INTEGERS.contains(raw)) {
      return schema.put("type", "integer").put("format", "int32");
    }
    if (LONGS.contains(raw)) {
      return schema.put("type", "integer").put("format", "int64");
    }
    if (NUMBERS.contains(raw)) {
      return schema.put("type", "number");
    }
    if (type.isEnumType()) {
      ArrayNode values = schema.put("type", "string").putArray("enum");
      for (Object constant : raw.getEnumConstants()) {
        values.add(mapper.valueToTree(constant).asText());
      }
      return schema;
    }
    if (type.isArrayType() || type.isCollectionLikeType()) {
      schema.put("type", "array").set("items", schema(type.getContentType()));
      return schema;
    }
    if (type.isMapLikeType()) {
      schema.put("type", "object").set("additionalProperties", schema(type.getContentType()));
      return schema;
    }
    if (raw == Object.class || JsonNode.class.isAssignableFrom(raw) || raw.isInterface() || raw.isPrimitive()) {
      return schema.put("description", "any JSON value");
    }
    return schema.put("$ref", "#/components/schemas/" + component(type));
  }

  /** OpenAPI 3.0 allows nothing beside a {@code $ref}: a reference that may be null is wrapped. */
  private ObjectNode nullable(ObjectNode schema) {
    if (!schema.has("$ref")) {
      return schema.put("nullable", true);
    }
    ObjectNode wrapped = mapper.createObjectNode();
    wrapped.putArray("allOf").add(schema);
    return wrapped.put("nullable", true);
  }

  private String component(JavaType type) {
    Class<?> raw = type.getRawClass();
    String known = names.get(raw);
    if (known != null) {
      return known;
    }
    String name = raw.getSimpleName();
    if (components.types.get(name) == raw && requests) {
      name = raw.getSimpleName() + "Input";
    }
    if (components.schemas.containsKey(name) && raw.getEnclosingClass() != null) {
      name = raw.getEnclosingClass().getSimpleName() + name;
    }
    names.put(raw, name);
    ObjectNode schema = mapper.createObjectNode().put("type", "object");
    components.schemas.put(name, schema);
    components.types.put(name, raw);
    BeanDescription description = mapper.getSerializationConfig().introspect(type);
    JsonInclude inclusion = raw.getAnnotation(JsonInclude.class);
    boolean nullsLeftOut = requests || inclusion != null && inclusion.value() != JsonInclude.Include.ALWAYS;
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = mapper.createArrayNode();
    for (BeanPropertyDefinition property : description.findProperties()) {
      if (!property.couldSerialize()) {
        continue;
      }
      ObjectNode propertySchema = schema(property.getPrimaryType());
      if (!property.getPrimaryType().isPrimitive()) {
        propertySchema = nullable(propertySchema);
      }
      properties.set(property.getName(), propertySchema);
      if (!nullsLeftOut) {
        required.add(property.getName());
      }
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    return name;
  }
}
