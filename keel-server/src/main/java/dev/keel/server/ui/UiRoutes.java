package dev.keel.server.ui;

import dev.keel.core.error.KeelException;
import dev.keel.gateway.Pricing;
import dev.keel.gateway.auth.KeyService;
import dev.keel.gateway.auth.Principal;
import dev.keel.prompts.PromptService;
import dev.keel.store.Store;
import dev.keel.store.UserRecord;
import dev.keel.store.UserStore;
import dev.keel.server.RawPathPattern;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web dashboard under {@code /ui}: server-rendered pages behind a sign-in with the master
 * key. Every page and fragment needs a session (else a redirect to sign-in); every POST needs
 * the session's CSRF token; a viewer's POSTs are refused.
 */
public final class UiRoutes {

  static final String COOKIE = "keel_ui";
  private static final Logger log = LoggerFactory.getLogger(UiRoutes.class);

  private final KeyService keys;
  private final UserStore users;
  private final UiSessions sessions;
  private final SignInThrottle throttle;
  private final Pages pages;

  /**
   * Builds the UI over the store, keys and pricing the APIs use; {@code retentionDays} is
   * keel.yaml's retention.days (null: keep forever), which Settings may override.
   */
  public UiRoutes(Store store, KeyService keys, Clock clock, Pricing pricing,
      Integer retentionDays) {
    this.keys = keys;
    this.users = store.users();
    this.sessions = new UiSessions(store.uiSessions(), clock);
    this.throttle = new SignInThrottle(clock);
    this.pages = new Pages(store, keys, new PromptService(store.prompts(), clock), clock,
        new SettingsPage.Context(pricing, retentionDays, sessions));
  }

  /**
   * Adds the UI's routes and assets. A browser's {@code GET /} is sent here by FallbackRoutes;
   * API clients there keep their JSON 404.
   */
  public void register(HttpRouting.Builder r) {
    r.get("/ui/assets/{file}", (req, res) -> Assets.serve(req.path().pathParameters()
        .get("file"), res));
    r.get("/ui/login", (req, res) -> html(res, Status.OK_200, Login.form(null)));
    r.post("/ui/login", this::signIn);
    r.post("/ui/logout", (req, res) -> post(req, res, (q, s) -> {
      sessions.end(s.id());
      res.header(HeaderNames.SET_COOKIE, COOKIE + "=; Path=/; HttpOnly; SameSite=Strict;"
          + " Max-Age=0");
      return "/ui/login";
    }, null));
    pages.register(new Router(r));
  }

  /** Registers pages and actions with the session and CSRF checks around them. */
  final class Router {

    private final HttpRouting.Builder r;

    Router(HttpRouting.Builder r) {
      this.r = r;
    }

    // Paths are matched raw, so an id holding a slash (a%2Fb) reaches its page as "a/b".
    void page(String path, PageHandler h) {
      r.route(Method.GET, RawPathPattern.of(path), (req, res) -> get(req, res, h));
    }

    /** A change by a member or admin; the handler returns where to go next. */
    void action(String path, ActionHandler h) {
      r.route(Method.POST, RawPathPattern.of(path), (req, res) -> post(req, res, h, "member"));
    }

    /** A change only an admin may make (keys, accounts, prices, retention). */
    void adminAction(String path, ActionHandler h) {
      r.route(Method.POST, RawPathPattern.of(path), (req, res) -> post(req, res, h, "admin"));
    }

    /** An admin's change whose answer is a page (a new key's secret cannot be redirected). */
    void adminActionPage(String path, PageHandler h) {
      r.route(Method.POST, RawPathPattern.of(path), (req, res) -> post(req, res, (q, s) -> {
        Rendered out = h.handle(q, s);
        send(res, out.status(), out);
        return null;
      }, "admin"));
    }
  }

  /** Renders a page or fragment for a signed-in browser. */
  interface PageHandler {
    Rendered handle(UiRequest q, UiSession s);
  }

  /** Performs a change and returns the path to redirect to. */
  interface ActionHandler {
    String handle(UiRequest q, UiSession s);
  }

  /** A page's HTML, or raw content with its type; 200 unless a page says otherwise. */
  record Rendered(String contentType, String body, Status status) {
    Rendered(String contentType, String body) {
      this(contentType, body, Status.OK_200);
    }

    static Rendered html(String body) {
      return new Rendered("text/html; charset=utf-8", body);
    }

    /** This page with another status (a form shown again with what was wrong in it). */
    Rendered withStatus(Status s) {
      return new Rendered(contentType, body, s);
    }
  }

  private void get(ServerRequest req, ServerResponse res, PageHandler h) {
    Optional<UiSession> s = session(req);
    if (s.isEmpty()) {
      toSignIn(req, res);
      return;
    }
    try {
      Rendered out = h.handle(UiRequest.of(req), s.get());
      send(res, out.status(), out);
    } catch (RuntimeException e) {
      failed(res, s.get(), e);
    }
  }

  /** {@code role}: the least role allowed ("member" or "admin"), or null for any session. */
  private void post(ServerRequest req, ServerResponse res, ActionHandler h, String role) {
    Optional<UiSession> s = session(req);
    if (s.isEmpty()) {
      toSignIn(req, res);
      return;
    }
    try {
      UiRequest q = UiRequest.withForm(req);
      String token = req.headers().first(HeaderNames.create("x-csrf-token"))
          .orElse(q.param("csrf"));
      if (!UiSessions.csrfMatches(s.get(), token)) {
        html(res, Status.FORBIDDEN_403, Layout.page("Forbidden", "", s.get(),
            "<h1>Forbidden</h1><p>This form is stale or did not come from Keel (CSRF token"
                + " missing or wrong). Reload the page and try again.</p>"));
        return;
      }
      if (role != null && !s.get().may(role)) {
        html(res, Status.FORBIDDEN_403, Layout.page("Forbidden", "", s.get(),
            "<h1>Forbidden</h1><p>The " + Html.esc(s.get().role()) + " role cannot do this;"
                + " it needs " + role + ".</p>"));
        return;
      }
      String next = h.handle(q, s.get());
      if (next != null) {
        redirect(res, next);
      }
    } catch (RuntimeException e) {
      failed(res, s.get(), e);
    }
  }

  private void signIn(ServerRequest req, ServerResponse res) {
    String address = req.remotePeer().host();
    long wait = throttle.waitSeconds(address);
    if (wait > 0) {
      res.header(HeaderNames.RETRY_AFTER, String.valueOf(wait));
      html(res, Status.TOO_MANY_REQUESTS_429, Login.form("Too many failed sign-ins from this"
          + " address; try again in " + wait + " s."));
      return;
    }
    if (crossSite(req)) {
      html(res, Status.FORBIDDEN_403, Login.form("Sign in from Keel's own page."));
      return;
    }
    UiRequest form;
    try {
      form = UiRequest.withForm(req);
    } catch (IllegalArgumentException e) {
      html(res, Status.BAD_REQUEST_400, Login.form(e.getMessage()));
      return;
    }
    Optional<UiSession> signedIn = form.param("username") != null
        ? account(form.param("username"), form.param("password"))
        : masterKey(form.param("key"));
    if (signedIn.isEmpty()) {
      throttle.failed(address);
      html(res, Status.UNAUTHORIZED_401, Login.form(form.param("username") != null
          ? "Wrong username or password." : form.param("key") == null
          ? "Enter the master key." : "That is not the master key."));
      return;
    }
    throttle.succeeded(address);
    UiSession s = signedIn.get();
    res.header(HeaderNames.SET_COOKIE, COOKIE + "=" + s.id() + "; Path=/; HttpOnly;"
        + " SameSite=Strict; Max-Age=" + UiSessions.TTL.toSeconds());
    redirect(res, "/ui");
  }

  /**
   * A sign-in posted by another site's page (its Origin is not this host) is refused, so no page
   * can sign a browser in to an account of its choosing. Other POSTs carry the CSRF token.
   */
  private static boolean crossSite(ServerRequest req) {
    Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
    Optional<String> host = req.headers().first(HeaderNames.HOST);
    if (origin.isEmpty() || host.isEmpty()) {
      return false;
    }
    int scheme = origin.get().indexOf("://");
    return scheme < 0 || !origin.get().substring(scheme + 3).equalsIgnoreCase(host.get());
  }

  private Optional<UiSession> masterKey(String key) {
    Optional<Principal> p = keys.authenticateKey(key);
    return p.isPresent() && p.get().kind() == Principal.Kind.MASTER
        ? Optional.of(sessions.create(null, "master key", "admin")) : Optional.empty();
  }

  private Optional<UiSession> account(String username, String password) {
    Optional<UserRecord> u = users.find(username);
    boolean ok = Passwords.matches(password, u.map(UserRecord::passwordHash).orElse(null));
    return ok ? Optional.of(sessions.create(u.get().username(), u.get().username(),
        u.get().role()))
        : Optional.empty();
  }

  private Optional<UiSession> session(ServerRequest req) {
    return req.headers().cookies().first(COOKIE).asOptional().flatMap(sessions::find);
  }

  /** htmx follows {@code HX-Redirect}; a plain browser follows the 303. */
  private static void toSignIn(ServerRequest req, ServerResponse res) {
    if (req.headers().contains(HeaderNames.create("hx-request"))) {
      res.header(HeaderNames.create("HX-Redirect"), "/ui/login");
      res.status(Status.UNAUTHORIZED_401).send();
      return;
    }
    redirect(res, "/ui/login");
  }

  private static void failed(ServerResponse res, UiSession s, RuntimeException e) {
    Status status;
    String message = e.getMessage();
    if (e instanceof KeelException k) {
      status = switch (k.code()) {
        case NOT_FOUND -> Status.NOT_FOUND_404;
        default -> Status.BAD_REQUEST_400;
      };
    } else if (e instanceof IllegalArgumentException) {
      status = Status.BAD_REQUEST_400;
    } else if (e instanceof NotFound) {
      status = Status.NOT_FOUND_404;
    } else {
      log.error("UI page failed", e);
      status = Status.INTERNAL_SERVER_ERROR_500;
      message = "Something went wrong; the server log has the details.";
    }
    html(res, status, Layout.page("Error", "", s, "<h1>" + status.code() + " "
        + Html.esc(status.reasonPhrase()) + "</h1><p class=\"error\">" + Html.esc(message)
        + "</p><p><a href=\"javascript:history.back()\">Back</a></p>"));
  }

  static void redirect(ServerResponse res, String location) {
    res.status(Status.SEE_OTHER_303);
    res.header(HeaderNames.LOCATION, location);
    res.send();
  }

  private static void html(ServerResponse res, Status status, String body) {
    send(res, status, Rendered.html(body));
  }

  private static void send(ServerResponse res, Status status, Rendered out) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, out.contentType());
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header(HeaderNames.create("X-Frame-Options"), "DENY");
    res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
    res.header(HeaderNames.create("Referrer-Policy"), "same-origin");
    res.header(HeaderNames.create("Content-Security-Policy"), "default-src 'self'; "
        + "script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "frame-ancestors 'none'; form-action 'self'");
    res.send(out.body().getBytes(StandardCharsets.UTF_8));
  }

  /** Thrown by pages for a missing trace, session or prompt. */
  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }
}
