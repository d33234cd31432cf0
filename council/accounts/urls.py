"""`/accounts/`: Django's password views under their standard names, the invitation's set-password
page, and the onboarding import. (Log in and out are in `config.urls`.)"""

from django.contrib.auth import views as auth_views
from django.urls import path

from council.accounts import views

urlpatterns = [
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invitation/<uidb64>/<token>/", views.InvitationConfirmView.as_view(), name="invitation_confirm"),
    path("invitation/done/", views.InvitationCompleteView.as_view(), name="invitation_complete"),
    path("import/", views.AccountImportView.as_view(), name="account_import"),
    path("import/template.xlsx", views.AccountTemplateView.as_view(), name="account_import_template"),
]
