"""Stage 5, the frame wing's reading: the units coded (``units``), the samples (``sample``), the
coders' sheets and the final coding (``sheets``), reliability (``reliability``), the sittings of
06_code (``sitting``, ``intrusion_sitting``) and topics validated by reading (``intrusion``)."""
