package dev.keel.server;

import io.helidon.common.parameters.Parameters;
import io.helidon.common.uri.UriPath;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.http.RoutedPath;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path template ({@code /api/public/traces/{id}}) matched against the raw path, segment by
 * segment, so a parameter may hold an encoded slash: {@code /api/public/traces/a%2Fb} gives
 * id {@code a/b}. Helidon's own patterns match the decoded path, where that id is two segments
 * and the route is missed.
 */
public final class RawPathPattern implements PathMatcher {

  private final String template;
  private final String[] parts;

  private RawPathPattern(String template) {
    this.template = template;
    this.parts = template.split("/", -1);
  }

  /** A matcher for {@code template}, whose {@code {name}} segments are parameters. */
  public static PathMatcher of(String template) {
    return template.contains("{") ? new RawPathPattern(template)
        : PathMatchers.exact(template);
  }

  @Override
  public PathMatchers.MatchResult match(UriPath path) {
    String[] segments = path.rawPathNoParams().split("/", -1);
    if (segments.length != parts.length) {
      return PathMatchers.MatchResult.notAccepted();
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      String value = decode(segments[i]);
      if (value == null) {
        return PathMatchers.MatchResult.notAccepted();
      }
      if (isParam(parts[i])) {
        if (value.isEmpty()) {
          return PathMatchers.MatchResult.notAccepted();
        }
        params.put(parts[i].substring(1, parts[i].length() - 1), List.of(value));
      } else if (!parts[i].equals(value)) {
        return PathMatchers.MatchResult.notAccepted();
      }
    }
    return new PathMatchers.MatchResult(true,
        new Routed(path, Parameters.create("http/path", params)));
  }

  @Override
  public PathMatchers.PrefixMatchResult prefixMatch(UriPath path) {
    throw new UnsupportedOperationException("a raw path pattern matches whole paths only: "
        + template);
  }

  @Override
  public String toString() {
    return template;
  }

  private static boolean isParam(String part) {
    return part.startsWith("{") && part.endsWith("}");
  }

  /** A path segment decoded; '+' is a plus in a path, not a space. Null when malformed. */
  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The request path with this pattern's parameters. */
  private static final class Routed implements RoutedPath {

    private final UriPath path;
    private final Parameters params;

    Routed(UriPath path, Parameters params) {
      this.path = path;
      this.params = params;
    }

    @Override
    public Parameters pathParameters() {
      return params;
    }

    @Override
    public String rawPath() {
      return path.rawPath();
    }

    @Override
    public String rawPathNoParams() {
      return path.rawPathNoParams();
    }

    @Override
    public String path() {
      return path.path();
    }

    @Override
    public Parameters matrixParameters() {
      return path.matrixParameters();
    }

    @Override
    public RoutedPath absolute() {
      return this;
    }

    @Override
    public void validate() {
      path.validate();
    }
  }
}
