const rows = document.getElementById("rows");
const status = document.getElementById("status");
const locale = navigator.language?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";

function text(localized) {
  return localized?.[locale] ?? Object.values(localized ?? {})[0] ?? "";
}

function cell(value) {
  const td = document.createElement("td");
  td.textContent = value;
  return td;
}

async function load() {
  const query = status.value ? `?status=${status.value}` : "";
  const response = await fetch(`/api/questionnaires${query}`);
  rows.replaceChildren();
  if (!response.ok) {
    rows.append(Object.assign(document.createElement("tr"), { textContent: `Could not load questionnaires (${response.status}).` }));
    return;
  }
  const page = await response.json();
  if (page.items.length === 0) {
    const tr = document.createElement("tr");
    const td = cell("No questionnaires yet. Create one through the API (see the API reference).");
    td.colSpan = 5;
    tr.append(td);
    rows.append(tr);
  }
  for (const q of page.items) {
    const tr = document.createElement("tr");
    const badge = Object.assign(document.createElement("span"), { className: `status ${q.status}`, textContent: q.status });
    const statusCell = document.createElement("td");
    statusCell.append(badge);
    tr.append(cell(text(q.title)), statusCell, cell(q.questionCount), cell(q.latestPublishedVersion ? `v${q.latestPublishedVersion}` : "–"),
      cell(new Date(q.updatedAt).toLocaleString(locale)));
    rows.append(tr);
  }
}

status.addEventListener("change", load);
load();
