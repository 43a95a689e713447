package io.estafeta.template.internal;

import com.github.jknack.handlebars.Decorator;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.HelperRegistry;
import java.io.File;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Replaces Handlebars' default registry, which comes with {@code embedded}, {@code i18n}, {@code
 * i18nJs}, {@code precompile}, {@code log}, {@code lookup}, {@code partial}, {@code block} and the
 * {@code inline} decorator (some read classpath resources, inline partials can recurse without
 * end). Only the helpers put in before {@link #close()} exist; there are no decorators and no
 * JavaScript helpers.
 */
final class ClosedHelperRegistry implements HelperRegistry {
  private final Map<String, Helper<?>> helpers = new HashMap<>();
  private boolean closed;

  void close() {
    closed = true;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <C> Helper<C> helper(String name) {
    return (Helper<C>) helpers.get(name);
  }

  @Override
  public Set<Map.Entry<String, Helper<?>>> helpers() {
    return Set.copyOf(helpers.entrySet());
  }

  @Override
  public <H> HelperRegistry registerHelper(String name, Helper<H> helper) {
    if (closed) {
      throw new UnsupportedOperationException("the helper set is closed");
    }
    helpers.put(name, helper);
    return this;
  }

  @Override
  public <H> HelperRegistry registerHelperMissing(Helper<H> helper) {
    throw new UnsupportedOperationException();
  }

  @Override
  public HelperRegistry registerHelpers(Object helperSource) {
    throw new UnsupportedOperationException();
  }

  @Override
  public HelperRegistry registerHelpers(Class<?> helperSource) {
    throw new UnsupportedOperationException();
  }

  @Override
  public HelperRegistry registerHelpers(URI location) {
    throw new UnsupportedOperationException();
  }

  @Override
  public HelperRegistry registerHelpers(File input) {
    throw new UnsupportedOperationException();
  }

  @Override
  public HelperRegistry registerHelpers(String filename, Reader source) {
    throw new UnsupportedOperationException();
  }

  @Override
  public HelperRegistry registerHelpers(String filename, InputStream source) {
    throw new UnsupportedOperationException();
  }

  @Override
  public HelperRegistry registerHelpers(String filename, String source) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Decorator decorator(String name) {
    return null;
  }

  @Override
  public HelperRegistry registerDecorator(String name, Decorator decorator) {
    throw new UnsupportedOperationException();
  }

  @Override
  public HelperRegistry setCharset(Charset charset) {
    return this;
  }
}
