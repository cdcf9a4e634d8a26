package dev.keel.server.ui;

/** The sign-in page. */
final class Login {

  private Login() {}

  static String form(String error) {
    String err = error == null ? ""
        : "<p class=\"error\" role=\"alert\">" + Html.esc(error) + "</p>";
    return Layout.page("Sign in", "", null, "<section class=\"login card\"><h1>Keel</h1>"
        + "<p>Sign in with the master key (it was printed at the first start, or is"
        + " <code>KEEL_MASTER_KEY</code>).</p>" + err
        + "<form method=\"post\" action=\"/ui/login\"><label for=\"key\">Master key</label>"
        + "<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\""
        + " autofocus required><button type=\"submit\">Sign in</button></form>"
        + "<h2>Or with an account</h2><form method=\"post\" action=\"/ui/login\">"
        + "<label for=\"username\">Username</label><input id=\"username\" name=\"username\""
        + " autocomplete=\"username\"><label for=\"password\">Password</label>"
        + "<input id=\"password\" name=\"password\" type=\"password\""
        + " autocomplete=\"current-password\"><button type=\"submit\">Sign in</button>"
        + "</form></section>");
  }
}
