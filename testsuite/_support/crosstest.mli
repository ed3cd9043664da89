(** Support linked into every crosstest host. The harness links the
    Dynlink implementation (crosstest.ml) into host programs (in byte+cmxs,
    it is a .cmxs that crosstest_loader.ml loads before the host's main
    unit), and the toplevel one (toplevel/crosstest.ml) into toplevel
    scripts. *)

val plugin_ext : string
(** [".cmo"] or [".cmxs"], as chosen by the harness for this mode. *)

val load : string -> unit
(** [load "plugin"] loads [plugin.cmo] or [plugin.cmxs]: with
    [Dynlink.loadfile] in a program, like [#load] in the toplevel. *)

val allow_unsafe : unit -> unit
(** Let plugins declare primitives with [external] (trusted test code). *)
