package io.layercake.runtime.serialization;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * Builds the journal's Jackson serializers and deserializers when the node starts, ahead of the writes that need them.
 * Jackson builds a type's serializer the first time it meets one of its values and holds its serializer
 * cache's lock while it looks the type over, so every other write on the node waits: the first snapshots of
 * conversations (their state is written at its 100th event) stalled every journal write for 50 ms and more,
 * and set the benchmark's whole p99 (docs/benchmark.md). Warmed: the types reachable from {@code roots}
 * through nested classes, sealed subtypes and record components (with their type arguments), those of
 * Layercake's own packages.
 */
public final class JsonWarmUp {
  /** The mapper Pekko's {@code jackson-json} binding serializes with (runtime's reference.conf). */
  private static final String BINDING = "jackson-json";
  private static final String OWN_PACKAGES = "io.layercake.";

  private JsonWarmUp() {}

  /** Builds both ways for every record, enum and {@link JsonSerializable} class reachable from {@code roots}; returns them. */
  public static Set<Class<?>> warm(ActorSystem<?> system, List<Class<?>> roots) {
    ObjectMapper mapper = mapper(system);
    SerializerProvider serializers = mapper.getSerializerProviderInstance();
    Set<Class<?>> warmed = new LinkedHashSet<>();
    Set<Class<?>> reachable = reachable(roots);
    List<Class<?>> ownCollections = reachable.stream()
        .filter(type -> Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)).toList();
    for (Class<?> scalar : SCALARS) {
      findSerializer(serializers, mapper.constructType(scalar));
    }
    for (Class<?> type : reachable) {
      boolean data = type.isRecord() || type.isEnum() || JsonSerializable.class.isAssignableFrom(type);
      if (!data || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
        continue; // the entities themselves, their protocols' interfaces
      }
      try {
        // as the mapper's writeValue looks a root value's serializer up: typed, which builds the untyped one first
        serializers.findTypedValueSerializer(type, true, null);
      } catch (JsonMappingException cannotWrite) {
        throw new IllegalStateException("no JSON serializer for " + type.getName(), cannotWrite);
      }
      mapper.canDeserialize(mapper.constructType(type));
      warmed.add(type);
      if (type.isRecord()) {
        for (RecordComponent component : type.getRecordComponents()) {
          warmCollection(mapper, serializers, mapper.constructType(component.getGenericType()), ownCollections);
        }
      }
    }
    return warmed;
  }

  /** The mapper Pekko's serializer uses on {@code system}. */
  static ObjectMapper mapper(ActorSystem<?> system) {
    return JacksonObjectMapperProvider.get(system).getOrCreate(BINDING, Optional.empty());
  }

  /**
   * A collection is written by the serializer of its class at run time, looked up (and built, under the lock)
   * per declared type and class: a {@code List<Inbound>} that holds a {@code List.of(a, b)} needs one for
   * {@code ListN<Inbound>}. Builds those for the classes the JDK's and the records' own lists, sets and maps are.
   */
  private static void warmCollection(ObjectMapper mapper, SerializerProvider serializers, JavaType declared,
      List<Class<?>> ownCollections) {
    List<Class<?>> classes = new ArrayList<>(ownCollections);
    classes.addAll(declared.isTypeOrSubTypeOf(List.class) ? LISTS
        : declared.isTypeOrSubTypeOf(Set.class) ? SETS : declared.isTypeOrSubTypeOf(Map.class) ? MAPS : List.of());
    for (Class<?> runtime : classes) {
      if (declared.isContainerType() && declared.getRawClass().isAssignableFrom(runtime)) {
        findSerializer(serializers, mapper.getTypeFactory().constructSpecializedType(declared, runtime));
      }
    }
    if (declared.getContentType() != null) {
      warmCollection(mapper, serializers, declared.getContentType(), ownCollections);
    }
  }

  private static void findSerializer(SerializerProvider serializers, JavaType type) {
    try {
      serializers.findValueSerializer(type);
    } catch (JsonMappingException cannotWrite) {
      throw new IllegalStateException("no JSON serializer for " + type, cannotWrite);
    }
  }

  private static final List<Class<?>> LISTS = List.of(List.of().getClass(), List.of(0).getClass(), List.of(0, 1, 2).getClass(),
      ArrayList.class, Collections.emptyList().getClass(),
      Collections.unmodifiableList(new ArrayList<>()).getClass());
  private static final List<Class<?>> SETS = List.of(Set.of().getClass(), Set.of(0).getClass(), Set.of(0, 1, 2).getClass(),
      HashSet.class, LinkedHashSet.class, Collections.unmodifiableSet(new HashSet<>()).getClass());
  private static final List<Class<?>> MAPS = List.of(Map.of().getClass(), Map.of(0, 0).getClass(), Map.of(0, 0, 1, 1).getClass(),
      HashMap.class, LinkedHashMap.class, Collections.unmodifiableMap(new HashMap<>()).getClass());
  /** Values of maps and lists declared loosely, written by their class at run time. */
  private static final List<Class<?>> SCALARS = List.of(String.class, Long.class, Integer.class, Boolean.class, Double.class,
      Instant.class);

  /** Layercake's classes reachable from {@code roots}. */
  static Set<Class<?>> reachable(List<Class<?>> roots) {
    Set<Class<?>> seen = new LinkedHashSet<>();
    Deque<Type> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      Type next = todo.pop();
      if (next instanceof ParameterizedType parameterized) {
        todo.push(parameterized.getRawType());
        List.of(parameterized.getActualTypeArguments()).forEach(todo::push);
      } else if (next instanceof WildcardType wildcard) {
        List.of(wildcard.getUpperBounds()).forEach(todo::push);
      } else if (next instanceof GenericArrayType array) {
        todo.push(array.getGenericComponentType());
      } else if (next instanceof Class<?> type && type.getName().startsWith(OWN_PACKAGES) && seen.add(type)) {
        List.of(type.getDeclaredClasses()).forEach(todo::push);
        if (type.isSealed()) {
          List.of(type.getPermittedSubclasses()).forEach(todo::push);
        }
        if (type.isRecord()) {
          for (RecordComponent component : type.getRecordComponents()) {
            todo.push(component.getGenericType());
          }
        }
      } else if (next instanceof Class<?> array && array.isArray()) {
        todo.push(array.getComponentType());
      }
    }
    return seen;
  }
}
