package dev.keel.server;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import io.helidon.http.encoding.ContentEncodingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies sent with {@code Content-Encoding: gzip} (OTLP exporters compress), inflated
 * as they are read. Responses are never compressed: streamed answers must reach clients chunk
 * by chunk. Without a decoder Helidon refuses such requests before any route sees them.
 *
 * <p>Body limits count inflated bytes, since routes read through the decoder, so a small
 * compressed body cannot expand past a route's limit.
 */
final class GzipRequests implements ContentEncoding {

  private GzipRequests() {}

  /** The server's content encoding: gzip for requests only. */
  static ContentEncodingContext context() {
    return ContentEncodingContext.builder().contentEncodingsDiscoverServices(false)
        .addContentEncoding(new GzipRequests()).build();
  }

  @Override
  public Set<String> ids() {
    return Set.of("gzip", "x-gzip");
  }

  @Override
  public boolean supportsEncoding() {
    return false;
  }

  @Override
  public boolean supportsDecoding() {
    return true;
  }

  @Override
  public ContentDecoder decoder() {
    return Inflating::new;
  }

  @Override
  public ContentEncoder encoder() {
    return ContentEncoder.NO_OP;
  }

  @Override
  public String name() {
    return "gzip-requests";
  }

  @Override
  public String type() {
    return "gzip";
  }

  // Opens the gzip stream on first read, so a body that is not gzip fails while the route
  // reads it (a 400 in the route's shape), not while Helidon sets up the request.
  private static final class Inflating extends InputStream {

    private final InputStream raw;
    private InputStream gzip;

    Inflating(InputStream raw) {
      this.raw = raw;
    }

    @Override
    public int read() throws IOException {
      return open().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return open().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }

    private InputStream open() throws IOException {
      if (gzip == null) {
        gzip = new GZIPInputStream(raw, 16384);
      }
      return gzip;
    }
  }
}
