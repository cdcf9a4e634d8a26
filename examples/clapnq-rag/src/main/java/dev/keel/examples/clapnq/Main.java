package dev.keel.examples.clapnq;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The example app's command line:
 *
 * <pre>
 * ask "QUESTION"        answers one question and prints the answer, passages and trace id
 * serve                 answers POST /answer {"input": QUESTION} on 127.0.0.1:PORT, the shape
 *                       keel eval run's url task sends (x-keel-trace-id is honoured)
 * options: --url URL (http://127.0.0.1:4000) --key KEY ($KEEL_MASTER_KEY) --model M (gpt-4o)
 *          --retriever hybrid|bm25|dense (hybrid) --top K (3) --port P (8087)
 * </pre>
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; returns the exit code (2 for bad usage). */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>();
    try {
      parse(args, opts, rest);
    } catch (IllegalArgumentException e) {
      err.println("clapnq-rag: " + e.getMessage());
      return 2;
    }
    if (rest.isEmpty() || !(rest.get(0).equals("ask") && rest.size() == 2
        || rest.get(0).equals("serve") && rest.size() == 1)) {
      err.println("usage: clapnq-rag ask \"QUESTION\" | serve  [--url URL] [--key KEY] "
          + "[--model M] [--retriever hybrid|bm25|dense] [--top K] [--port P]");
      return 2;
    }
    String key = opts.getOrDefault("key", System.getenv("KEEL_MASTER_KEY"));
    if (key == null || key.isBlank()) {
      err.println("clapnq-rag: no key: set KEEL_MASTER_KEY or pass --key");
      return 2;
    }
    HybridRetriever.Mode mode;
    int top;
    int port;
    try {
      mode = HybridRetriever.Mode.valueOf(opts.getOrDefault("retriever", "hybrid")
          .toUpperCase(Locale.ROOT));
      top = positive(opts.getOrDefault("top", "3"), "--top");
      port = port(opts.getOrDefault("port", "8087"));
    } catch (IllegalArgumentException e) {
      err.println("clapnq-rag: " + (e.getMessage().startsWith("No enum")
          ? "--retriever must be hybrid, bm25 or dense: " + opts.get("retriever")
          : e.getMessage()));
      return 2;
    }
    err.println("clapnq-rag: indexing " + Passages.RESOURCE + " (BM25 and MiniLM)...");
    var retriever = new HybridRetriever(Passages.load().texts());
    var rag = new TracedRag(URI.create(opts.getOrDefault("url", "http://127.0.0.1:4000")),
        key, opts.getOrDefault("model", "gpt-4o"), mode.name().toLowerCase(Locale.ROOT),
        q -> retriever.retrieve(q, mode, top));
    if (rest.get(0).equals("ask")) {
      TracedRag.Answer a = rag.answer(rest.get(1), null);
      out.println(a.text());
      for (int i = 0; i < a.contexts().size(); i++) {
        out.println("  [" + (i + 1) + "] " + abbreviate(a.contexts().get(i)));
      }
      out.println("trace: " + a.traceId());
      return 0;
    }
    HttpServer server = RagServer.start(rag, port);
    err.println("clapnq-rag: answering POST http://127.0.0.1:" + server.getAddress().getPort()
        + "/answer");
    Thread.currentThread().join();
    return 0;
  }

  private static void parse(String[] args, Map<String, String> opts, List<String> rest) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        String name = args[i].substring(2);
        if (!List.of("url", "key", "model", "retriever", "top", "port").contains(name)) {
          throw new IllegalArgumentException("unknown option " + args[i]);
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        opts.put(name, args[++i]);
      } else {
        rest.add(args[i]);
      }
    }
  }

  private static int positive(String v, String name) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a positive integer: " + v);
  }

  private static int port(String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 0 && n <= 65535) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--port must be from 0 to 65535: " + v);
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }
}
