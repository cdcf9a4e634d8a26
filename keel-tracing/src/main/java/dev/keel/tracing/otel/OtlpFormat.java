package dev.keel.tracing.otel;

import java.util.Locale;
import java.util.Optional;

/** The two OTLP/HTTP encodings, told apart by the request's content type. */
public enum OtlpFormat {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private final String mediaType;

  OtlpFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The content type of answers in this format. */
  public String mediaType() {
    return mediaType;
  }

  /**
   * The format a {@code Content-Type} header names; empty for any other type. Parameters such
   * as {@code charset} are allowed, as Langfuse allows any type that contains one of the two.
   */
  public static Optional<OtlpFormat> fromContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String t = contentType.toLowerCase(Locale.ROOT);
    if (t.contains(PROTOBUF.mediaType)) {
      return Optional.of(PROTOBUF);
    }
    return t.contains(JSON.mediaType) ? Optional.of(JSON) : Optional.empty();
  }
}
