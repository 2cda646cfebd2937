/* /wp-content/plugins/mailchimp-for-wp/assets/js/forms.js (stand-in for the mirror) */
(function () { return 0; })();
