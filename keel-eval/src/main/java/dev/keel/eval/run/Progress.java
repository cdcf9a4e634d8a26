package dev.keel.eval.run;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A progress bar with the time left, estimated from the items finished in this process (resumed
 * items cost nothing, so they do not count toward the rate). On a terminal it redraws one line;
 * elsewhere (CI logs) it prints a plain line every 10% so logs stay readable.
 */
final class Progress {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean tty;
  private final int total;
  private final int resumed;
  private final long start = System.nanoTime();
  private int finished;
  private int failed;
  private int lastDecile = -1;

  Progress(PrintStream out, int total, int resumed) {
    this.out = out;
    this.tty = System.console() != null && out == System.err;
    this.total = total;
    this.resumed = resumed;
    if (out != null && resumed > 0) {
      out.println("resuming: " + resumed + " of " + total + " items already done");
    }
  }

  synchronized void done(boolean itemFailed) {
    finished++;
    failed += itemFailed ? 1 : 0;
    if (out == null) {
      return;
    }
    int complete = resumed + finished;
    int decile = total == 0 ? 10 : complete * 10 / total;
    if (tty) {
      out.print("\r" + line(complete));
      out.flush();
    } else if (decile != lastDecile) {
      lastDecile = decile;
      out.println(line(complete));
    }
  }

  synchronized void finish() {
    if (out != null && tty && finished > 0) {
      out.println();
    }
  }

  private String line(int complete) {
    int filled = total == 0 ? WIDTH : complete * WIDTH / total;
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    return String.format("[%s] %d/%d items%s, %s left", bar, complete, total,
        failed == 0 ? "" : " (" + failed + " failed)", eta(complete));
  }

  private String eta(int complete) {
    // The first items include connection set-up and warm-up; an estimate from them misleads.
    if (finished < Math.min(5, total - resumed)) {
      return "?";
    }
    long elapsed = System.nanoTime() - start;
    long left = elapsed / finished * (total - complete);
    Duration d = Duration.ofNanos(left);
    return d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s"
        : d.toSecondsPart() + "s";
  }
}
