package io.estafeta.template.internal;

import com.github.jknack.handlebars.io.TemplateLoader;
import com.github.jknack.handlebars.io.TemplateSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Templates never load other templates: no files, no classpath, no URLs. */
public enum RefusingTemplateLoader implements TemplateLoader {
  INSTANCE;

  @Override
  public TemplateSource sourceAt(String location) throws IOException {
    throw new FileNotFoundException("templates cannot include other templates");
  }

  @Override
  public String resolve(String location) {
    return location;
  }

  @Override
  public String getPrefix() {
    return "";
  }

  @Override
  public String getSuffix() {
    return "";
  }

  @Override
  public void setPrefix(String prefix) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setSuffix(String suffix) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setCharset(Charset charset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Charset getCharset() {
    return StandardCharsets.UTF_8;
  }
}
