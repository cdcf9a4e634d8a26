package dev.keel.server.ui;

/** The page shell: head, navigation, theme toggle and sign-out. */
final class Layout {

  private static final String[][] NAV = {
      {"overview", "/ui", "Overview"},
      {"traces", "/ui/traces", "Traces"},
      {"sessions", "/ui/sessions", "Sessions"},
      {"users", "/ui/users", "Users"},
      {"prompts", "/ui/prompts", "Prompts"},
      {"datasets", "/ui/datasets", "Datasets"},
      {"cost", "/ui/cost", "Cost"},
      {"settings", "/ui/settings", "Settings"},
  };

  private Layout() {}

  static String page(String title, String active, UiSession s, String body) {
    StringBuilder b = new StringBuilder(body.length() + 2048);
    head(b, title, s == null ? "" : s.csrf());
    if (s != null) {
      nav(b, active, s);
    }
    b.append("<main id=\"main\">").append(body).append("</main></body></html>");
    return b.toString();
  }

  private static void head(StringBuilder b, String title, String csrf) {
    b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta name=\"csrf-token\" content=\"").append(Html.esc(csrf)).append("\">")
        .append("<title>").append(Html.esc(title)).append(" · Keel</title>")
        .append("<link rel=\"stylesheet\" href=\"/ui/assets/uPlot.min.css\">")
        .append("<link rel=\"stylesheet\" href=\"/ui/assets/keel.css\">")
        .append("<script src=\"/ui/assets/keel.js\"></script>")
        .append("<script src=\"/ui/assets/htmx.min.js\" defer></script>")
        .append("<script src=\"/ui/assets/uPlot.iife.min.js\" defer></script>")
        .append("</head><body>")
        .append("<a class=\"skip\" href=\"#main\">Skip to content</a>");
  }

  private static void nav(StringBuilder b, String active, UiSession s) {
    b.append("<header class=\"top\"><a class=\"brand\" href=\"/ui\">Keel</a><nav>");
    for (String[] n : NAV) {
      b.append("<a href=\"").append(n[1]).append('"')
          .append(n[0].equals(active) ? " aria-current=\"page\"" : "").append('>')
          .append(n[2]).append("</a>");
    }
    b.append("</nav><div class=\"who\"><span>").append(Html.esc(s.who())).append(" · ")
        .append(Html.esc(s.role())).append("</span>")
        .append("<button type=\"button\" id=\"theme\" title=\"Toggle dark mode\">◐</button>")
        .append("<form method=\"post\" action=\"/ui/logout\">").append(Html.csrf(s))
        .append("<button type=\"submit\">Sign out</button></form></div></header>");
  }
}
