# Consider managed services:
# - Amazon MQ instead of self-managed RabbitMQ
# - Amazon Cognito instead of Keystone (if possible)
