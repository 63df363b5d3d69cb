;;; test-eglot.el --- Batch test: Emacs + Eglot start kep-lsp and show its diagnostics  -*- lexical-binding: t; -*-
;; emacs --batch -l editors/emacs/tests/test-eglot.el   with KEP_LSP and KEP_REPO (a git repo copy) set.
(setq debug-on-error nil)
(add-to-list 'load-path (expand-file-name ".." (file-name-directory load-file-name)))
(require 'kep-eglot)
(require 'flymake)
(setq kep-eglot-server-command (list (getenv "KEP_LSP") "serve"))
(setq eglot-sync-connect 10)
(add-hook 'kep-yaml-mode-hook #'eglot-ensure)
(add-hook 'kep-markdown-mode-hook #'eglot-ensure)

(defvar kep-test-passed 0)
(defvar kep-test-failed 0)
(defmacro kep-test (name &rest body)
  `(condition-case err
       (progn ,@body (setq kep-test-passed (1+ kep-test-passed)) (princ (format "ok - [emacs] %s\n" ,name)))
     (error (setq kep-test-failed (1+ kep-test-failed))
            (princ (format "not ok - [emacs] %s: %S\n" ,name err)))))

(defun kep-test-wait (pred seconds)
  "Run the event loop until PRED is non-nil or SECONDS pass; return PRED's value."
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    value))

(defun kep-test-diag-text (d)
  (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))

(let* ((repo (getenv "KEP_REPO"))
       (yaml (expand-file-name "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml" repo)))
  (kep-test "kep.yaml opens in kep-yaml-mode and Eglot connects to kep-lsp"
    (find-file yaml)
    ;; eglot-ensure connects from post-command-hook, which batch mode never runs by itself.
    (run-hooks 'post-command-hook)
    (unless (eq major-mode 'kep-yaml-mode) (error "major mode is %s" major-mode))
    (unless (kep-test-wait (lambda () (eglot-current-server)) 15) (error "no Eglot server")))
  (kep-test "flymake shows kep-lsp's invalid-status error on the misspelt value"
    (let ((diag (kep-test-wait
                 (lambda ()
                   (seq-find (lambda (d) (string-match-p "imlpemented" (kep-test-diag-text d)))
                             (flymake-diagnostics)))
                 15)))
      (unless diag (error "no diagnostic on imlpemented; got %S"
                          (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
      (unless (eq (flymake-diagnostic-type diag) 'eglot-error)
        (error "type %s" (flymake-diagnostic-type diag)))
      (unless (string-match-p "invalid-status" (flymake-diagnostic-text diag))
        (princ (format "# note: message without code: %s\n" (flymake-diagnostic-text diag))))))
  (kep-test "a YAML file outside keps/ gets no server"
    (let ((other (expand-file-name "notes/config.yaml" repo)))
      (make-directory (file-name-directory other) t)
      (with-temp-file other (insert "title: not a KEP\n"))
      (find-file other)
      (run-hooks 'post-command-hook)
      (when (eq major-mode 'kep-yaml-mode) (error "notes/config.yaml in kep-yaml-mode"))
      (when (eglot-current-server) (error "Eglot attached to notes/config.yaml")))))

(princ (format "emacs: %d passed, %d failed\n" kep-test-passed kep-test-failed))
(ignore-errors (eglot-shutdown-all))
(kill-emacs (if (and (= kep-test-failed 0) (> kep-test-passed 0)) 0 1))
