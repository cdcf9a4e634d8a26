package dev.keel.server.ui;

import dev.keel.gateway.Pricing;
import dev.keel.gateway.auth.CreatedKey;
import dev.keel.gateway.auth.KeyInfo;
import dev.keel.gateway.auth.KeyService;
import dev.keel.gateway.auth.KeySettings;
import dev.keel.server.ui.UiRoutes.Rendered;
import dev.keel.store.Store;
import dev.keel.store.UserRecord;
import dev.keel.store.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Settings: virtual keys, listed without secrets, created (secret shown once) and revoked;
 * accounts; models and prices; retention. Everyone sees them, only an admin changes them.
 */
final class SettingsPage {

  private final KeyService keys;
  private final UserStore users;
  private final Clock clock;
  private final UiSessions sessions;
  private final PricesSettings prices;
  private final RetentionSettings retention;

  SettingsPage(KeyService keys, Store store, Clock clock, Context ctx) {
    this.keys = keys;
    this.users = store.users();
    this.clock = clock;
    this.sessions = ctx.sessions();
    this.prices = new PricesSettings(ctx.pricing(), store.settings(), clock);
    this.retention = new RetentionSettings(store.settings(), ctx.retentionDays(), clock);
  }

  /**
   * What Settings needs beyond the store: the pricing in use, keel.yaml's retention.days (null
   * when unset) and the sessions (deleting an account signs it out).
   */
  record Context(Pricing pricing, Integer retentionDays, UiSessions sessions) {}

  void register(UiRoutes.Router r) {
    r.page("/ui/settings", (q, s) -> Rendered.html(Layout.page("Settings", "settings", s,
        render(q, s, null))));
    prices.register(r);
    retention.register(r);
    r.adminActionPage("/ui/settings/keys", (q, s) -> {
      List<String> models = q.param("models") == null ? List.of()
          : Arrays.stream(q.param("models").split(",")).map(String::strip)
              .filter(m -> !m.isEmpty()).toList();
      CreatedKey k = keys.createVirtualKey(new KeySettings(q.param("name"), q.param("user"),
          null, models, null, null, null), null);
      return Rendered.html(Layout.page("Settings", "settings", s, render(q, s, k)));
    });
    r.adminAction("/ui/settings/keys/{id}/revoke", (q, s) -> {
      String id = q.path("id");
      if (!keys.revoke(id)) {
        throw new UiRoutes.NotFound("no active virtual key with id " + id);
      }
      return "/ui/settings";
    });
    r.adminAction("/ui/settings/users", (q, s) -> {
      String name = q.param("username");
      // Checked before the slow password hash, and worded here: the record would say ": null".
      if (name == null) {
        throw new IllegalArgumentException("username must be 1 to 64 characters: it is empty");
      }
      if (q.param("role") == null) {
        throw new IllegalArgumentException("role must be admin, member or viewer: none chosen");
      }
      var u = new UserRecord(name, q.param("role"), Passwords.hash(q.param("password")),
          clock.instant());
      if (!users.insert(u)) {
        throw new IllegalArgumentException("username is taken: " + name);
      }
      return "/ui/settings";
    });
    r.adminAction("/ui/settings/users/{name}/delete", (q, s) -> {
      if (!users.delete(q.path("name"))) {
        throw new UiRoutes.NotFound("no account named " + q.path("name"));
      }
      sessions.endAllOf(q.path("name"));
      return "/ui/settings";
    });
  }

  private String render(UiRequest q, UiSession s, CreatedKey created) {
    StringBuilder b = new StringBuilder("<h1>Settings</h1>");
    if (created != null) {
      b.append("<div class=\"card notice\" role=\"status\"><p>New key <b>")
          .append(Html.esc(created.info().settings().name())).append("</b>. Copy it now; it is"
              + " not shown again:</p><p><code id=\"new-key\">").append(Html.esc(created.key()))
          .append("</code></p></div>");
    }
    b.append("<h2>Keys</h2>");
    if (s.isAdmin()) {
      b.append("<form class=\"filters\" method=\"post\" action=\"/ui/settings/keys\">")
          .append(Html.csrf(s)).append("<label>Name<input name=\"name\" required></label>")
          .append("<label>User<input name=\"user\"></label>")
          .append("<label>Models (a,b; empty for all)<input name=\"models\"></label>")
          .append("<button type=\"submit\">Create key</button></form>");
    }
    b.append("<table class=\"list\" id=\"keys\"><thead><tr><th>Name</th><th>Kind</th>"
        + "<th>Key</th><th>User</th><th>Models</th><th>Created (UTC)</th><th>Status</th>"
        + "<th></th></tr></thead><tbody>");
    Instant now = clock.instant();
    for (KeyInfo k : keys.listKeys()) {
      String status = k.status(now);
      b.append("<tr><td>").append(Html.esc(k.settings().name())).append("</td><td>")
          .append(Html.esc(k.kind())).append("</td><td><code>").append(Html.esc(k.hint()))
          .append("</code></td><td>").append(Html.esc(k.settings().user())).append("</td><td>")
          .append(Html.esc(k.settings().models().isEmpty() ? "all"
              : String.join(", ", k.settings().models()))).append("</td><td>")
          .append(Html.time(k.createdAt())).append("</td><td>")
          .append(Html.badge(status, status)).append("</td><td>");
      if (s.isAdmin() && "virtual".equals(k.kind()) && "active".equals(status)) {
        b.append("<form method=\"post\" class=\"inline\" action=\"/ui/settings/keys/")
            .append(Html.esc(Html.url(k.id()))).append("/revoke\">").append(Html.csrf(s))
            .append("<button type=\"submit\" class=\"danger\">Revoke</button></form>");
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table>");
    accounts(b, s);
    prices.render(b, q, s);
    retention.render(b, s);
    return b.toString();
  }

  private void accounts(StringBuilder b, UiSession s) {
    b.append("<h2>Accounts</h2><p class=\"muted\">Admins change everything, members change"
        + " prompts, viewers only look.</p>");
    if (s.isAdmin()) {
      b.append("<form class=\"filters\" method=\"post\" action=\"/ui/settings/users\">")
          .append(Html.csrf(s)).append("<label>Username<input name=\"username\" required"
              + " maxlength=\"64\"></label><label>Password<input name=\"password\""
              + " type=\"password\" required minlength=\"8\" autocomplete=\"new-password\">"
              + "</label><label>Role<select name=\"role\"><option>viewer</option>"
              + "<option>member</option><option>admin</option></select></label>"
              + "<button type=\"submit\">Add account</button></form>");
    }
    List<UserRecord> all = users.list();
    if (all.isEmpty()) {
      b.append("<p class=\"empty\">No accounts yet; the master key signs in as admin.</p>");
      return;
    }
    b.append("<table class=\"list\" id=\"accounts\"><thead><tr><th>Username</th>"
        + "<th>Role</th><th>Created (UTC)</th><th></th></tr></thead><tbody>");
    for (UserRecord u : all) {
      b.append("<tr><td>").append(Html.esc(u.username())).append("</td><td>")
          .append(Html.esc(u.role())).append("</td><td>").append(Html.time(u.createdAt()))
          .append("</td><td>");
      if (s.isAdmin()) {
        b.append("<form method=\"post\" class=\"inline\" action=\"/ui/settings/users/")
            .append(Html.esc(Html.url(u.username()))).append("/delete\">").append(Html.csrf(s))
            .append("<button type=\"submit\" class=\"danger\">Delete</button></form>");
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table>");
  }
}
