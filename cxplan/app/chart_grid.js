// The planner's chart grid (cxplan/app/chart_grid.py): one widget, several Vega-Lite charts.
// Bundled offline with vl-convert's javascript_bundle, which provides `vegaEmbed` (no imports).
//
// Traits per slot i: `spec_i` (a whole Vega-Lite spec: embed it again) and `data_i` (new values
// for some of the spec's named datasets and/or a new subtitle: change the running view, no new
// embed). Updates of one slot are applied in the order they arrive.
//
// A chart's subtitle is bound to a Vega signal (SUBTITLE) when it is embedded (vega-embed's
// `patch` edits the compiled Vega spec), so a subtitle that states a result can change with the
// data: `view.signal(SUBTITLE, text)`.

const SUBTITLE = "cx_subtitle";

function bindSubtitle(vg) {
  const title = vg.title;
  if (title == null || typeof title !== "object" || title.subtitle === undefined) {
    return vg;
  }
  vg.signals = [...(vg.signals ?? []), { name: SUBTITLE, value: title.subtitle }];
  vg.title = { ...title, subtitle: { signal: SUBTITLE } };
  return vg;
}

const EMBED = {
  renderer: "svg",
  actions: { export: true, source: false, compiled: false, editor: false },
  downloadFileName: "chart",
  patch: bindSubtitle,
};

async function render({ model, el }) {
  el.classList.add("cx-chart-grid");
  const names = model.get("names") ?? [];
  const panes = [];
  const views = [];
  const queues = [];
  for (let i = 0; i < names.length; i++) {
    const pane = document.createElement("div");
    pane.className = "cx-chart";
    pane.dataset.chart = names[i];
    el.appendChild(pane);
    panes.push(pane);
    views.push(null);
    queues.push(Promise.resolve());
  }

  function showError(i, error) {
    const note = document.createElement("div");
    note.className = "cx-chart-error";
    note.textContent = "This chart could not be drawn: " + error.message;
    panes[i].replaceChildren(note);
  }

  async function embed(i) {
    const spec = model.get("spec_" + i);
    if (views[i] != null) {
      views[i].finalize();
      views[i] = null;
    }
    if (spec == null || Object.keys(spec).length === 0) {
      panes[i].replaceChildren();
      return;
    }
    try {
      views[i] = await vegaEmbed(panes[i], structuredClone(spec), EMBED);
    } catch (error) {
      showError(i, error);
    }
  }

  async function update(i) {
    const change = model.get("data_" + i);
    if (views[i] == null || change == null || change.seq == null) {
      return;
    }
    const view = views[i].view;
    for (const [name, values] of Object.entries(change.datasets ?? {})) {
      view.data(name, structuredClone(values));
    }
    if (change.subtitle !== undefined) {
      view.signal(SUBTITLE, change.subtitle);
    }
    try {
      await view.runAsync();
    } catch (error) {
      showError(i, error);
    }
  }

  function enqueue(i, step) {
    queues[i] = queues[i].then(() => step(i)).catch((error) => showError(i, error));
    return queues[i];
  }

  for (let i = 0; i < names.length; i++) {
    model.on("change:spec_" + i, () => enqueue(i, embed));
    model.on("change:data_" + i, () => enqueue(i, update));
  }
  await Promise.all(names.map((_, i) => enqueue(i, embed)));
}

export default { render };
