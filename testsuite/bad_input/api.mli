(* Not the interface of api.ml (the host's Api): the one a plugin was built
   against before the host's Api.event gained a constructor. Listed among the
   plugins, it is compiled into their directory, so stale.ml, listed after
   it, sees it before the host's api.cmi and is compiled against it: loading
   stale must fail with Dynlink.Error (Inconsistent_import "Api"). *)
type event = Started
