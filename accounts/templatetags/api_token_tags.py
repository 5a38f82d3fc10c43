from django import template

from accounts.views_tokens import ApiTokenForm

register = template.Library()


@register.inclusion_tag("accounts/tokens/_api_tokens_panel.html", takes_context=True)
def api_tokens_panel(context):
    """The profile page's token list; a key just created is shown here once, on
    the response to the POST that created it (see views_tokens.token_add)."""
    request = context["request"]
    new_key = context.get("new_api_key")
    return {
        "tokens": list(request.user.api_tokens.all()),
        "new_key": new_key,
        "form": ApiTokenForm(auto_id="token_%s"),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
