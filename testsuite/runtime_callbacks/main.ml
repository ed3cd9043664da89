(* Closures of one side called by the runtime on behalf of the other. *)
let () =
  Crosstest.load "plugin";
  (* A Gc alarm that is the plugin's closure, run by the runtime at the end
     of each major cycle *)
  let alarm = Gc.create_alarm !Api.plugin_alarm in
  for _ = 1 to 3 do Gc.full_major () done;
  Gc.delete_alarm alarm;
  Printf.printf "Gc alarm of the plugin ran at least 3 times: %b\n%!"
    (!Api.plugin_alarms () >= 3);
  (* Memprof callbacks that are the plugin's closures, every allocation
     sampled *)
  let seen = ref 0 in
  let tracker = { Gc.Memprof.null_tracker with
    alloc_minor = (fun info ->
      if !seen < 2 then begin incr seen; !Api.plugin_sample info.size end;
      None) } in
  let _ = Gc.Memprof.start ~sampling_rate:1.0 tracker in
  let kept = Sys.opaque_identity (Array.make 3 0, ref 1) in
  Gc.Memprof.stop ();
  ignore kept;
  Api.flush_log (Printf.sprintf "memprof callbacks of the plugin (%d)" !seen);
  (* The plugin's signal handler, run when the host sends the signal *)
  !Api.plugin_install_handler Sys.sigusr1;
  Unix.kill (Unix.getpid ()) Sys.sigusr1;
  ignore (Sys.opaque_identity (List.init 10 Fun.id));
  Api.note "host after its signal";
  Api.flush_log "signal sent by the host";
  (* The host's handler, run when the plugin sends the signal *)
  Sys.set_signal Sys.sigusr2
    (Sys.Signal_handle (fun _ -> Api.note "host handler ran"));
  !Api.plugin_send Sys.sigusr2;
  Api.flush_log "signal sent by the plugin";
  (* A handler of the plugin that raises into the host code it interrupts *)
  !Api.plugin_raising_handler Sys.sigusr1;
  (match
     Unix.kill (Unix.getpid ()) Sys.sigusr1;
     for _ = 1 to 1000 do ignore (Sys.opaque_identity (ref 0)) done
   with
   | () -> print_endline "no exception from the handler"
   | exception Api.Interrupted why -> Printf.printf "host interrupted %s\n%!" why);
  Sys.set_signal Sys.sigusr1 Sys.Signal_default;
  (* At exit: at_exit functions of both sides, and the plugin's handler of
     the exception that the host lets escape *)
  at_exit !Api.plugin_at_exit;
  at_exit (fun () -> print_endline "host at_exit ran");
  Printexc.set_uncaught_exception_handler !Api.plugin_uncaught;
  failwith "escaping the host"
