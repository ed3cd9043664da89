(** Support linked into every crosstest host. *)

val plugin_ext : string
(** [".cmo"] or [".cmxs"], as chosen by the harness for this mode. *)

val load : string -> unit
(** [load "plugin"] loads [plugin.cmo] or [plugin.cmxs] with [Dynlink.loadfile]. *)
