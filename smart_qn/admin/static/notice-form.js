// The notice form without a round trip per keystroke: a live Markdown preview rendered by the server (the
// same sanitizing as the published notice) and a filter for the list of communes. The form works without it.
"use strict";

(function () {
  const form = document.querySelector("form.notice-form");
  if (!form) return;
  const token = form.querySelector("input[name=csrf_token]").value;

  for (const name of ["body_vi", "body_en"]) {
    const source = form.querySelector(`textarea[name=${name}]`);
    const target = document.getElementById(`${name}-preview`);
    if (!source || !target) continue;
    let timer = null;
    let latest = 0;
    source.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(async function () {
        const asked = ++latest;
        const body = new FormData();
        body.append("markdown", source.value);
        const response = await fetch(form.dataset.previewUrl, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": token },
        });
        // The server's rendering is sanitized (nh3), the same HTML residents would get.
        if (response.ok && asked === latest) target.innerHTML = await response.text();
      }, 300);
    });
  }

  const filterBox = form.querySelector(".unit-filter");
  if (filterBox) {
    filterBox.hidden = false;
    const fold = (text) =>
      text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
    const districts = Array.from(form.querySelectorAll("details.district"));
    filterBox.querySelector("input").addEventListener("input", function (event) {
      const wanted = fold(event.target.value.trim());
      for (const district of districts) {
        const districtName = fold(district.querySelector("summary").textContent);
        let communeMatches = 0;
        for (const item of district.querySelectorAll(".communes li")) {
          const matches = !wanted || districtName.includes(wanted) || fold(item.textContent).includes(wanted);
          item.hidden = !matches;
          if (matches) communeMatches++;
        }
        district.hidden = Boolean(wanted) && communeMatches === 0 && !districtName.includes(wanted);
        if (wanted && communeMatches) district.open = true;
      }
    });
  }
})();
