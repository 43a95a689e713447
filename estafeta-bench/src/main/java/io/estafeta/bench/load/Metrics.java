package io.estafeta.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/** Named numbers of one run, in the order they were measured. Names end with their unit. */
public final class Metrics {
  private final Map<String, Double> values = new LinkedHashMap<>();

  public void put(String name, double value) {
    values.put(name, value);
  }

  public void putAll(Metrics other) {
    values.putAll(other.values);
  }

  public Double get(String name) {
    return values.get(name);
  }

  public Map<String, Double> values() {
    return values;
  }
}
