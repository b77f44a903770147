// The mapping step: a column's key box only where its target keeps a key
// (an additional field or metadata), and the values of the column chosen as
// the status, each with a status, as soon as it is chosen. Without script every
// box stays in view and the values are asked once the choices are sent.
"use strict";

function statusValues(form) {
  const data = JSON.parse(document.getElementById("column-values").textContent);
  const section = document.getElementById("status-values-section");
  const body = section.querySelector("tbody");
  const shown = form.querySelector("input[name=status_column]");
  const choice = document.getElementById("status-value-choice").content;
  const row = (value, proposed, number) => {
    const select = choice.firstElementChild.cloneNode(true);
    select.name = `value_${number}`;
    select.id = `id_value_${number}`;
    select.value = proposed;
    const label = document.createElement("label");
    label.htmlFor = select.id;
    label.textContent = value;
    const th = document.createElement("th");
    th.scope = "row";
    th.append(label);
    const td = document.createElement("td");
    td.append(select);
    const tr = document.createElement("tr");
    tr.append(th, td);
    return tr;
  };
  return (index, chosen) => {
    if (!chosen && shown.value !== String(index)) return;
    const values = chosen ? data[index] || [] : [];
    body.replaceChildren(...values.map(([value, proposed], n) => row(value, proposed, n)));
    shown.value = chosen ? index : "";
    section.hidden = values.length === 0;
  };
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.import-columns");
  if (!form) return;
  const showValues = statusValues(form);
  for (const row of form.querySelectorAll("table.import-mapping tr[id^=column-]")) {
    const target = row.querySelector("select");
    const key = row.querySelector(".import-key");
    if (!target || !key) continue;
    const index = row.id.slice("column-".length);
    const show = () => { key.hidden = !target.value.endsWith(":"); };
    target.addEventListener("change", () => {
      show();
      showValues(index, target.value === "status");
    });
    show();
  }
});
