"""gunicorn logging without share tokens.

`make run` passes `--logger-class enablement.gunicorn_conf.TokenRedactingLogger`;
a production server can do the same, or load this module as its config
(`gunicorn -c python:enablement.gunicorn_conf ...`), which sets `logger_class`.
Access lines keep their usual format, with `/s/<token>/` written `/s/[token]/`.
"""

from gunicorn.glogging import Logger

from enablement.log_filters import RedactShareTokensFilter


class TokenRedactingLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        # Logger-level filters see every record gunicorn logs on these loggers,
        # whichever handlers (stdout, file, syslog) the config attached.
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactShareTokensFilter) for f in log.filters):
                log.addFilter(RedactShareTokensFilter())


# Read by gunicorn when this module is the config file (-c python:...).
logger_class = TokenRedactingLogger
