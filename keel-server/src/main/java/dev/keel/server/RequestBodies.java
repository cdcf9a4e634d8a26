package dev.keel.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.OptionalLong;

/** Reads request bodies within the size limit and parses them as JSON objects. */
final class RequestBodies {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestBodies() {}

  /** The body's bytes; 413 when it is larger than {@code limit}. */
  static byte[] read(ServerRequest req, long limit) {
    return read(req, limit, "limits.max_body_bytes");
  }

  /** The body's bytes; 413 naming {@code setting} when it is larger than {@code limit}. */
  static byte[] read(ServerRequest req, long limit, String setting) {
    OptionalLong declared = req.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > limit) {
      throw tooLarge(limit, setting);
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] buf = new byte[(int) Math.min(limit + 1, declared.orElse(8192) + 1)];
      int n = 0;
      while (true) {
        if (n == buf.length) {
          if (buf.length > limit) {
            throw tooLarge(limit, setting);
          }
          buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, (long) buf.length * 2));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      if (n > limit) {
        throw tooLarge(limit, setting);
      }
      return n == buf.length ? buf : Arrays.copyOf(buf, n);
    } catch (IOException | io.helidon.http.RequestException e) {
      throw new KeelException(ErrorCode.INVALID_REQUEST, "could not read the request body: "
          + e.getMessage());
    } catch (DataReader.InsufficientDataAvailableException e) {
      // The client closed the connection before the body was complete: nobody reads the
      // answer, but it must not be logged as a failure of Keel.
      throw new KeelException(ErrorCode.INVALID_REQUEST, "the request body ended before its "
          + "declared length" + (declared.isPresent() ? " of " + declared.getAsLong()
          + " bytes" : "") + "; the client closed the connection");
    }
  }

  /** Parses a JSON object; a 400 that says what is wrong otherwise. */
  static ObjectNode object(byte[] body) {
    if (body.length == 0) {
      throw new KeelException(ErrorCode.INVALID_JSON,
          "request body is empty; expected a JSON object");
    }
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new KeelException(ErrorCode.INVALID_JSON, "request body is not valid JSON: "
          + firstLine(e.getOriginalMessage()) + " at " + location(e));
    } catch (IOException e) {
      throw new KeelException(ErrorCode.INVALID_JSON, "request body could not be read: "
          + e.getMessage());
    }
    if (!(n instanceof ObjectNode o)) {
      throw new KeelException(ErrorCode.INVALID_JSON, "request body must be a JSON object, got "
          + (n == null ? "nothing" : n.getNodeType().name().toLowerCase()));
    }
    return o;
  }

  private static String location(JsonProcessingException e) {
    var loc = e.getLocation();
    return loc == null ? "unknown position"
        : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "syntax error";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private static KeelException tooLarge(long limit, String setting) {
    return new KeelException(ErrorCode.BODY_TOO_LARGE, "request body is larger than the limit of "
        + limit + " bytes (" + setting + " in keel.yaml)");
  }
}
