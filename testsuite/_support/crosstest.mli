(** Support linked into every crosstest host. The harness links the
    Dynlink implementation (crosstest.ml) into host programs (in byte+cmxs,
    it is a .cmxs that crosstest_loader.ml loads before the host's main
    unit), the toplevel one (toplevel/crosstest.ml) into toplevel
    scripts, and the Eval one (eval/crosstest.ml) into the native hosts of
    native+eval. *)

val plugin_ext : string
(** [".cmo"] or [".cmxs"], as chosen by the harness for this mode; [".ml"]
    in native+eval, where plugins are loaded from source. *)

val load : string -> unit
(** [load "plugin"] loads [plugin.cmo] or [plugin.cmxs]: with
    [Dynlink.loadfile] in a program, like [#load] in the toplevel; in
    native+eval it evaluates [plugin.ml] as [#mod_use] does. *)

val allow_unsafe : unit -> unit
(** Let plugins declare primitives with [external] (trusted test code). *)
