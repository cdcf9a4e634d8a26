package dev.keel.eval.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, a doubled quote inside
 * quotes is one quote, and a quoted field may span lines. Each record remembers the line it
 * starts on, so an error can name it.
 */
final class Csv {

  private Csv() {
  }

  /** One record and the 1-based line it starts on. */
  record Row(int line, List<String> fields) {}

  /** All records of {@code text}; blank lines are skipped. */
  static List<Row> parse(String text) {
    var rows = new ArrayList<Row>();
    var fields = new ArrayList<String>();
    var field = new StringBuilder();
    int line = 1;
    int start = 1;
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          if (ch == '\n') {
            line++;
          }
          field.append(ch);
        }
        continue;
      }
      switch (ch) {
        case '"' -> {
          if (field.length() > 0) {
            throw new IllegalArgumentException("line " + line
                + ": a quote inside an unquoted field; quote the whole field and double the quote");
          }
          quoted = true;
          any = true;
        }
        case ',' -> {
          fields.add(field.toString());
          field.setLength(0);
          any = true;
        }
        case '\r' -> { }
        case '\n' -> {
          endRecord(rows, fields, field, start, any);
          any = false;
          line++;
          start = line;
        }
        default -> {
          field.append(ch);
          any = true;
        }
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("line " + start + ": a quoted field is never closed");
    }
    endRecord(rows, fields, field, start, any);
    return rows;
  }

  /** {@code value} as one CSV field, quoted when it needs to be. */
  static String field(String value) {
    if (value == null) {
      return "";
    }
    boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0
        || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }

  private static void endRecord(List<Row> rows, List<String> fields, StringBuilder field,
      int start, boolean any) {
    if (any) {
      fields.add(field.toString());
      rows.add(new Row(start, List.copyOf(fields)));
    }
    fields.clear();
    field.setLength(0);
  }
}
