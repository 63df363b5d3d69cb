;;; kep-eglot.el --- Use the kep-lsp language server for KEP files with Eglot  -*- lexical-binding: t; -*-

;; Copyright The kep-lsp Authors. Licensed under the Apache License, Version 2.0.

;;; Commentary:

;; KEP files (keps/**/kep.yaml, keps/**/NNNN-name/README.md, keps/prod-readiness/**/*.yaml and
;; legacy single-file KEPs) open in `kep-yaml-mode' / `kep-markdown-mode', small modes derived from
;; whatever YAML and Markdown modes you have, so Eglot starts kep-lsp for them and for nothing else.
;;
;;   (add-to-list 'load-path "/path/to/kep-lsp/editors/emacs")
;;   (require 'kep-eglot)
;;   (add-hook 'kep-yaml-mode-hook #'eglot-ensure)
;;   (add-hook 'kep-markdown-mode-hook #'eglot-ensure)
;;
;; Settings go to the server as `eglot-workspace-configuration' (section "kep-lsp"), e.g. in the
;; repository's .dir-locals.el:
;;   ((nil . ((eglot-workspace-configuration . (:kep-lsp (:disable ["toc-stale"]))))))

;;; Code:

(require 'eglot)

(defgroup kep-eglot nil "Kubernetes Enhancement Proposals with kep-lsp." :group 'tools)

(defcustom kep-eglot-server-command '("kep-lsp" "serve")
  "Command that starts the kep-lsp language server."
  :type '(repeat string))

(defun kep-eglot--parent-mode (candidates fallback)
  "The first of CANDIDATES that is a defined function, else FALLBACK."
  (or (seq-find #'fboundp candidates) fallback))

(defalias 'kep-eglot--yaml-parent (kep-eglot--parent-mode '(yaml-ts-mode yaml-mode) 'text-mode))
(defalias 'kep-eglot--markdown-parent (kep-eglot--parent-mode '(markdown-mode gfm-mode) 'text-mode))

(define-derived-mode kep-yaml-mode kep-eglot--yaml-parent "KEP-YAML"
  "Major mode for kep.yaml and PRR files, served by kep-lsp.")

(define-derived-mode kep-markdown-mode kep-eglot--markdown-parent "KEP-Markdown"
  "Major mode for KEP READMEs and legacy KEPs, served by kep-lsp.")

(defun kep-eglot--legacy-kep-p ()
  "Non-nil when the buffer is Markdown under keps/ opening with YAML front matter."
  (and buffer-file-name
       (string-match-p "/keps/.*\\.md\\'" buffer-file-name)
       (save-excursion (goto-char (point-min)) (looking-at-p "---[ \t]*$"))))

(add-to-list 'auto-mode-alist '("/keps/.*/kep\\.yaml\\'" . kep-yaml-mode))
(add-to-list 'auto-mode-alist '("/keps/prod-readiness/.*\\.yaml\\'" . kep-yaml-mode))
(add-to-list 'auto-mode-alist '("/keps/\\(?:.*/\\)?[0-9][^/]*-[^/]*/README\\.md\\'" . kep-markdown-mode))
(add-to-list 'auto-mode-alist '("/keps/NNNN-kep-template/README\\.md\\'" . kep-markdown-mode))
(add-to-list 'magic-mode-alist '(kep-eglot--legacy-kep-p . kep-markdown-mode))

(add-to-list 'eglot-server-programs
             `((kep-yaml-mode kep-markdown-mode) . ,(lambda (&rest _) kep-eglot-server-command)))

(provide 'kep-eglot)
;;; kep-eglot.el ends here
