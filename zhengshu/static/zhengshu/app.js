/* 政数平台 — small page behaviours. No framework, no network access of its own.
 *
 *  - data-confirm="文字" on a link, button or form: ask before following / submitting.
 *  - htmx: same-origin requests only; failed requests show a Chinese alert in #messages
 *    (htmx ignores error responses silently otherwise).
 *  - Bootstrap tooltips for [data-bs-toggle="tooltip"].
 *  - Form controls that Django rendered without Bootstrap classes (file inputs, multi-widgets) get them.
 *  - Personal data: buttons with data-reveal-url ask for a purpose, POST it, show the full value.
 *  - Login page: demo-account "填入" buttons.
 * Everything runs again on content swapped in by htmx (htmx.onLoad).
 */
(function () {
  "use strict";

  // ---- Confirmation ------------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var el = event.target.closest("a[data-confirm], button[data-confirm], input[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // ---- Alerts ------------------------------------------------------------------------------------
  function showAlert(text, level) {
    var box = document.getElementById("messages");
    if (!box) {
      box = document.createElement("div");
      box.id = "messages";
      box.className = "zs-messages container-xxl pt-3";
      box.setAttribute("aria-live", "polite");
      var main = document.getElementById("main") || document.body;
      main.insertBefore(box, main.firstChild);
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-" + (level || "danger") + " alert-dismissible fade show";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "关闭");
    alert.appendChild(close);
    box.appendChild(alert);
  }
  window.zhengshu = { showAlert: showAlert };

  // ---- Enhancements for a subtree (page load and every htmx swap) ---------------------------------
  function enhance(root) {
    if (window.bootstrap) {
      root.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) {
        window.bootstrap.Tooltip.getOrCreateInstance(el);
      });
    }
    root.querySelectorAll(".zs-form input, .zs-form select, .zs-form textarea").forEach(function (el) {
      if (/\b(form-control|form-select|form-check-input|btn)\b/.test(el.className)) return;
      var type = (el.getAttribute("type") || "").toLowerCase();
      var small = !!el.closest(".zs-widget-raw-sm");  // filter bar: small controls
      if (el.tagName === "SELECT") {
        el.classList.add("form-select");
        if (small) el.classList.add("form-select-sm");
      } else if (type === "checkbox" || type === "radio") {
        el.classList.add("form-check-input");
      } else if (["hidden", "submit", "button", "reset", "image"].indexOf(type) === -1) {
        el.classList.add("form-control");
        if (small) el.classList.add("form-control-sm");
      }
    });
  }

  // ---- htmx --------------------------------------------------------------------------------------
  if (window.htmx) {
    htmx.config.selfRequestsOnly = true;   // never talk to another host
    htmx.config.historyCacheSize = 10;
    htmx.config.defaultSettleDelay = 0;
    htmx.onLoad(enhance);                  // runs for the body on load, then for swapped content

    document.body.addEventListener("htmx:responseError", function (event) {
      var xhr = event.detail.xhr;
      var status = xhr ? xhr.status : 0;
      var text = status === 403 ? "无权执行此操作（403）。"
        : status === 404 ? "请求的内容不存在或您无权查看（404）。"
        : status >= 500 ? "系统错误（" + status + "），请稍后重试或联系系统管理员。"
        : "请求未成功（" + status + "），请检查后重试。";
      showAlert(text, "danger");
    });
    document.body.addEventListener("htmx:sendError", function () {
      showAlert("无法连接服务器，请检查网络后重试。", "warning");
    });
  } else {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  }

  // ---- Personal data: reveal one masked field (the server logs the access and its purpose) ---------
  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) { /* fall back to the cookie */ }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-reveal-url]");
    if (!button) return;
    event.preventDefault();
    var purpose = window.prompt("请填写查看完整个人信息的事由（将记入日志）：", "");
    if (purpose === null) return;
    purpose = purpose.trim();
    if (!purpose) {
      showAlert("须填写查看事由。", "warning");
      return;
    }
    button.disabled = true;
    var body = new URLSearchParams();
    body.set("purpose", purpose);
    fetch(button.getAttribute("data-reveal-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.detail || "请求未成功（" + response.status + "）");
        return data;
      });
    }).then(function (data) {
      var target = document.getElementById(button.getAttribute("data-target"));
      if (target) target.textContent = data.value == null ? "" : String(data.value);
      button.remove();
    }).catch(function (error) {
      button.disabled = false;
      showAlert(error.message || "无法连接服务器，请检查网络后重试。", "danger");
    });
  });

  // ---- Login: fill a demo account ----------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill-login]");
    if (!button) return;
    var form = document.querySelector('form input[autocomplete="current-password"]');
    form = form && form.form;
    if (!form) return;
    var user = form.querySelector('input[autocomplete="username"]');
    var pass = form.querySelector('input[autocomplete="current-password"]');
    var otp = form.querySelector('input[autocomplete="one-time-code"]');
    if (user) user.value = button.getAttribute("data-username") || "";
    if (otp) otp.value = button.getAttribute("data-otp") || "";
    if (pass) {
      pass.value = button.getAttribute("data-password") || "";
      pass.focus();
    }
  });
})();
