package dev.keel.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client on one keep-alive connection, for the benchmark: it sends a prebuilt
 * request and reads a {@code Content-Length} or chunked answer. A general client (the JDK's)
 * costs tens of microseconds per request, which would blur the sub-millisecond difference the
 * benchmark measures. Loopback only.
 */
final class KeepAliveClient implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final byte[] request;

  KeepAliveClient(int port, String path, String auth, byte[] body) throws IOException {
    this.socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream(), 16384);
    String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + auth
        + "\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    this.request = new byte[h.length + body.length];
    System.arraycopy(h, 0, request, 0, h.length);
    System.arraycopy(body, 0, request, h.length, body.length);
  }

  /** Sends the request once and returns the status; the body is read and discarded. */
  int call() throws IOException {
    out.write(request);
    out.flush();
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    String l;
    while (!(l = line()).isEmpty()) {
      int colon = l.indexOf(':');
      String name = l.substring(0, colon).trim();
      if (name.equalsIgnoreCase("content-length")) {
        length = Long.parseLong(l.substring(colon + 1).trim());
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        chunked = l.toLowerCase().contains("chunked");
      }
    }
    if (chunked) {
      long size;
      while ((size = Long.parseLong(line().trim(), 16)) > 0) {
        skip(size);
        line();
      }
      line();
    } else if (length > 0) {
      skip(length);
    }
    return code;
  }

  private void skip(long n) throws IOException {
    while (n > 0) {
      long s = in.skip(n);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new IOException("connection closed mid-body");
        }
        s = 1;
      }
      n -= s;
    }
  }

  private String line() throws IOException {
    var sb = new StringBuilder(64);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
