package io.estafeta.template.internal;

import com.github.jknack.handlebars.ValueResolver;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The only way a template reads data: Map keys, and List indices and {@code length}. Handlebars'
 * default resolvers call getters, fields and zero-argument methods ({@code {{name.class}}}, {@code
 * {{name.toUpperCase}}}, {@code {{this.getClass}}}); this one never touches a Java member.
 */
public enum MapOnlyResolver implements ValueResolver {
  INSTANCE;

  @Override
  public Object resolve(Object context, String name) {
    if (context instanceof Map<?, ?> map) {
      Object value = map.get(name);
      return value == null && !map.containsKey(name) ? UNRESOLVED : value;
    }
    if (context instanceof List<?> list) {
      if (name.equals("length")) {
        return list.size();
      }
      int index = index(name);
      return index >= 0 && index < list.size() ? list.get(index) : UNRESOLVED;
    }
    return UNRESOLVED;
  }

  @Override
  public Object resolve(Object context) {
    return context instanceof Map || context instanceof List ? context : UNRESOLVED;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Set<Map.Entry<String, Object>> propertySet(Object context) {
    return context instanceof Map<?, ?> map ? ((Map<String, Object>) map).entrySet() : Set.of();
  }

  private static int index(String name) {
    if (name.isEmpty() || name.length() > 9) {
      return -1;
    }
    int n = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
