(* The host's interface to its plugins. api.mli, next to it, is not its
   interface but an older one, to build a stale plugin with (see api.mli). *)
type event = Started | Stopped
