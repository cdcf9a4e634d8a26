package dev.keel.server.ui;

import dev.keel.prompts.ChatMessage;
import dev.keel.prompts.PromptService;
import dev.keel.prompts.PromptVersion;
import dev.keel.server.ui.UiRoutes.NotFound;
import dev.keel.server.ui.UiRoutes.Rendered;
import dev.keel.store.Page;
import dev.keel.store.PromptListQuery;
import dev.keel.store.PromptSummary;
import java.util.ArrayList;
import java.util.List;

/** Prompts: the list, one prompt's versions and labels, a side-by-side diff, promote, rollback. */
final class PromptsPage {

  private final PromptService prompts;

  PromptsPage(PromptService prompts) {
    this.prompts = prompts;
  }

  void register(UiRoutes.Router r) {
    r.page("/ui/prompts", (q, s) -> Rendered.html(Layout.page("Prompts", "prompts", s,
        list(q))));
    r.page("/ui/prompts/{name}", (q, s) -> Rendered.html(Layout.page(q.path("name"),
        "prompts", s, prompt(q.path("name"), s))));
    r.page("/ui/prompts/{name}/diff", (q, s) -> Rendered.html(Layout.page("Diff", "prompts", s,
        diff(q))));
    r.action("/ui/prompts/{name}/promote", (q, s) -> {
      String name = q.path("name");
      prompts.promote(Pages.PROJECT, name, q.intParam("version", 0, 1, Integer.MAX_VALUE),
          q.param("label"));
      return "/ui/prompts/" + Html.url(name);
    });
    r.action("/ui/prompts/{name}/rollback", (q, s) -> {
      String name = q.path("name");
      prompts.rollback(Pages.PROJECT, name, q.param("label"));
      return "/ui/prompts/" + Html.url(name);
    });
  }

  private String list(UiRequest q) {
    Page<PromptSummary> page = prompts.list(new PromptListQuery(Pages.PROJECT, null, null,
        null, null, null, q.page(), 50));
    StringBuilder b = new StringBuilder("<h1>Prompts</h1>");
    if (page.items().isEmpty()) {
      return b.append("<p class=\"empty\">No prompts yet. Create them with <code>keel prompt"
          + " sync</code> or the prompts API.</p>").toString();
    }
    b.append("<table class=\"list\"><thead><tr><th>Name</th><th>Type</th>"
        + "<th class=\"num\">Versions</th><th>Labels</th><th>Updated (UTC)</th></tr></thead>"
        + "<tbody>");
    for (PromptSummary p : page.items()) {
      b.append("<tr><td><a href=\"/ui/prompts/").append(Html.esc(Html.url(p.name())))
          .append("\">").append(Html.esc(p.name())).append("</a></td><td>")
          .append(Html.esc(p.type())).append("</td><td class=\"num\">")
          .append(p.versions().size()).append("</td><td>");
      p.labels().forEach(l -> b.append(Html.badge("label", l)));
      b.append("</td><td>").append(Html.time(p.lastUpdatedAt())).append("</td></tr>");
    }
    b.append("</tbody></table>");
    return b.append(Html.pager("/ui/prompts", page.page(), page.totalPages(),
        page.totalItems())).toString();
  }

  private String prompt(String name, UiSession s) {
    List<PromptVersion> versions = new ArrayList<>(prompts.versions(Pages.PROJECT, name));
    if (versions.isEmpty()) {
      throw new NotFound("no prompt named " + name);
    }
    java.util.Collections.reverse(versions);
    String enc = Html.esc(Html.url(name));
    StringBuilder b = new StringBuilder("<h1>Prompt ").append(Html.esc(name)).append("</h1>");
    b.append("<form class=\"filters\" method=\"get\" action=\"/ui/prompts/").append(enc)
        .append("/diff\"><label>From<select name=\"from\">").append(options(versions, 1))
        .append("</select></label><label>To<select name=\"to\">").append(options(versions, 0))
        .append("</select></label><button type=\"submit\">Compare</button></form>");
    if (s.canChange()) {
      b.append("<form class=\"filters\" method=\"post\" action=\"/ui/prompts/").append(enc)
          .append("/rollback\">").append(Html.csrf(s))
          .append("<label>Label<input name=\"label\" value=\"production\"></label>")
          .append("<button type=\"submit\">Roll back label</button></form>");
    }
    for (PromptVersion v : versions) {
      version(b, v, enc, s);
    }
    return b.toString();
  }

  private static void version(StringBuilder b, PromptVersion v, String enc, UiSession s) {
    b.append("<article class=\"card version\" id=\"v").append(v.version()).append("\"><h2>v")
        .append(v.version()).append(' ');
    v.labels().forEach(l -> b.append(Html.badge("label", l)));
    b.append("</h2><p class=\"muted\">").append(Html.time(v.createdAt())).append(' ')
        .append(Html.esc(v.author())).append(' ').append(Html.esc(v.commitMessage()))
        .append("</p><pre class=\"payload\">").append(Html.esc(body(v))).append("</pre>");
    if (!"{}".equals(v.configJson())) {
      b.append("<p>Config: <code>").append(Html.esc(v.configJson())).append("</code></p>");
    }
    if (s.canChange()) {
      b.append("<form method=\"post\" class=\"inline\" action=\"/ui/prompts/").append(enc)
          .append("/promote\">").append(Html.csrf(s))
          .append("<input type=\"hidden\" name=\"version\" value=\"").append(v.version())
          .append("\"><label>Label <input name=\"label\" value=\"production\" size=\"12\">")
          .append("</label><button type=\"submit\">Promote v").append(v.version())
          .append("</button></form>");
    }
    b.append("</article>");
  }

  private static String options(List<PromptVersion> newestFirst, int selectedIndex) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < newestFirst.size(); i++) {
      int v = newestFirst.get(i).version();
      boolean sel = i == Math.min(selectedIndex, newestFirst.size() - 1);
      b.append("<option value=\"").append(v).append('"').append(sel ? " selected" : "")
          .append(">v").append(v).append("</option>");
    }
    return b.toString();
  }

  private String diff(UiRequest q) {
    String name = q.path("name");
    int from = q.intParam("from", 0, 1, Integer.MAX_VALUE);
    int to = q.intParam("to", 0, 1, Integer.MAX_VALUE);
    if (from == 0 || to == 0) {
      throw new IllegalArgumentException("from and to must name two versions");
    }
    PromptVersion a = prompts.require(Pages.PROJECT, name, null, from);
    PromptVersion b = prompts.require(Pages.PROJECT, name, null, to);
    return "<h1>" + Html.esc(name) + ": v" + from + " → v" + to + "</h1><p><a href=\"/ui/prompts/"
        + Html.esc(Html.url(name)) + "\">Back to versions</a></p>"
        + SideBySide.render(lines(a), lines(b), "v" + from, "v" + to);
  }

  private static List<String> lines(PromptVersion v) {
    List<String> out = new ArrayList<>();
    out.add("type: " + v.type());
    out.add("config: " + v.configJson());
    out.addAll(body(v).lines().toList());
    return out;
  }

  private static String body(PromptVersion v) {
    if (v.text() != null) {
      return v.text();
    }
    StringBuilder b = new StringBuilder();
    for (ChatMessage m : v.messages()) {
      b.append('[').append(m.role()).append("]\n").append(m.content()).append('\n');
    }
    return b.toString();
  }
}
