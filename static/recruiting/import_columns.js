// The mapping step: a column's key box only where its target keeps a key
// (an additional field or metadata). Without script every box stays in view.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const row of document.querySelectorAll("table.import-mapping tr[id^=column-]")) {
    const target = row.querySelector("select");
    const key = row.querySelector(".import-key");
    if (!target || !key) continue;
    const show = () => { key.hidden = !target.value.endsWith(":"); };
    target.addEventListener("change", show);
    show();
  }
});
